using System.Net;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Tests.Host;

public sealed class SignInTests : IClassFixture<PortalHost>
{
    readonly PortalHost _host;
    public SignInTests(PortalHost host) => _host = host;

    [Fact]
    public async Task Anonymous_visitor_is_sent_to_sign_in()
    {
        using var client = _host.NewClient();
        var response = await client.Http.GetAsync("classes");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Demo_student_signs_in_with_the_seeded_password_and_sees_the_portal()
    {
        using var client = await _host.SignInAsync(DemoSeeder.StudentEmail);
        var home = await client.Http.GetAsync("");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains(DemoSeeder.StudentEmail, await home.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Wrong_password_shows_a_message_and_signs_nobody_in()
    {
        using var client = _host.NewClient();
        var response = await client.PostLoginAsync(DemoSeeder.InstructorEmail, "not-the-password");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("do not match an account", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("classes")).StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        using var client = _host.NewClient();
        var email = "locked-" + Guid.NewGuid().ToString("N")[..6] + "@example.org";
        await RegisterAsync(client, email, await _host.OutsiderJoinCodeAsync());
        using var other = _host.NewClient();
        for (var i = 0; i < 5; i++) await other.PostLoginAsync(email, "wrong-password-1A");
        var response = await other.PostLoginAsync(email, PortalHost.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Account/Lockout", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var client = await _host.SignInAsync(DemoSeeder.StudentEmail);
        var home = await client.Http.GetStringAsync("");
        var token = System.Text.RegularExpressions.Regex.Match(home, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.Http.PostAsync("Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("classes")).StatusCode);
    }

    /// <summary>Registers a student with a class's join code (registration needs one).</summary>
    internal static async Task RegisterAsync(SignedInClient client, string email, string joinCode)
    {
        var form = await client.Http.GetStringAsync("Account/Register");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.Http.PostAsync("Account/Register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "register",
            ["__RequestVerificationToken"] = token,
            ["Input.DisplayName"] = "Test student",
            ["Input.Email"] = email,
            ["Input.Password"] = PortalHost.Password,
            ["Input.JoinCode"] = joinCode,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}
