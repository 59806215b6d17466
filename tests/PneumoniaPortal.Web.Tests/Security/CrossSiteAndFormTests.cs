using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Security;

/// <summary>Forms need their antiforgery token; the cookie-signed API refuses what another web site can make a browser send.</summary>
[Collection(SecurityCollection.Name)]
public sealed class CrossSiteAndFormTests(SecurityHost host)
{
    static string Token(string html) => Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

    async Task<bool> SharedAsync()
    {
        await using var db = await host.NewDbAsync();
        return await db.Runs.Where(r => r.Id == host.RunId).Select(r => r.SharedWithCourse).SingleAsync();
    }

    [Fact]
    public async Task Signing_in_without_the_forms_token_is_refused_and_signs_nobody_in()
    {
        using var client = host.NewClient();
        var response = await client.Http.PostAsync("Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.Email"] = DemoSeeder.StudentEmail, ["Input.Password"] = PortalHost.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("classes")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostLoginAsync(DemoSeeder.StudentEmail, PortalHost.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("classes")).StatusCode);
    }

    [Fact]
    public async Task Registering_without_the_forms_token_is_refused_and_creates_no_account()
    {
        using var client = host.NewClient();
        var email = $"csrf-{Guid.NewGuid():N}"[..13] + "@example.org";
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = "register", ["Input.DisplayName"] = "Forged", ["Input.Email"] = email, ["Input.Password"] = PortalHost.Password, ["Input.JoinCode"] = host.JoinCode,
        };
        var response = await client.Http.PostAsync("Account/Register", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using (var db = await host.NewDbAsync())
            Assert.False(await db.Users.AnyAsync(u => u.Email == email));

        fields["__RequestVerificationToken"] = Token(await client.Http.GetStringAsync("Account/Register"));
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.PostAsync("Account/Register", new FormUrlEncodedContent(fields))).StatusCode);
        await using (var db = await host.NewDbAsync())
            Assert.True(await db.Users.AnyAsync(u => u.Email == email));
    }

    [Fact]
    public async Task Signing_out_without_the_forms_token_is_refused_and_the_session_goes_on()
    {
        using var client = await host.SignInAsync(DemoSeeder.StudentEmail);
        var forged = await client.Http.PostAsync("Account/Logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("classes")).StatusCode);

        var token = Token(await client.Http.GetStringAsync(""));
        var real = await client.Http.PostAsync("Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, real.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("classes")).StatusCode);
    }

    public static TheoryData<string, string?, string> CrossSitePosts => new()
    {
        // A hidden form on another site: form-encoded body, with or without the browser's Origin header.
        { "application/x-www-form-urlencoded", null, "what a web form sends" },
        { "application/x-www-form-urlencoded", "https://evil.example", "other web sites" },
        { "text/plain", null, "what a web form sends" },
        { "multipart/form-data; boundary=x", null, "what a web form sends" },
        // fetch(..., {mode: "no-cors", credentials: "include"}) with no body: only the Origin tells.
        { "", "https://evil.example", "other web sites" },
        { "", "null", "other web sites" },
    };

    [Theory]
    [MemberData(nameof(CrossSitePosts))]
    public async Task A_cross_site_post_with_the_victims_cookie_changes_nothing(string contentType, string? origin, string expected)
    {
        Assert.False(await SharedAsync());
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/runs/{host.RunId}/share?shared=true");
        if (contentType.Length > 0)
        {
            request.Content = new StringContent(contentType.StartsWith("multipart") ? "--x--\r\n" : "shared=true");
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }
        if (origin is not null) request.Headers.Add("Origin", origin);
        var response = await host[Who.Owner].Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.UnsupportedMediaType, $"{(int)response.StatusCode} {body}");
        Assert.Contains(expected, body);
        Assert.False(await SharedAsync());
    }

    [Fact]
    public async Task The_same_post_from_a_script_or_the_portals_own_origin_works()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/runs/{host.RunId}/share?shared=true");
        request.Headers.Add("Origin", host.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.NoContent, (await host[Who.Owner].Http.SendAsync(request)).StatusCode);
        Assert.True(await SharedAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await host[Who.Owner].Http.PostAsync($"api/runs/{host.RunId}/share?shared=false", null)).StatusCode);
        Assert.False(await SharedAsync());
    }

    [Fact]
    public async Task A_cross_site_leaderboard_freeze_is_refused()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/leaderboards/{host.LeaderboardId}/freeze")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["frozen"] = "true" }),
        };
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await host[Who.Instructor].Http.SendAsync(request)).StatusCode);
        await using var db = await host.NewDbAsync();
        Assert.False(await db.Leaderboards.Where(b => b.Id == host.LeaderboardId).Select(b => b.Frozen).SingleAsync());
    }

    [Theory]
    [InlineData("password", "at least one digit")]
    [InlineData("password1", "at least one uppercase")]
    [InlineData("PASSWORD1", "at least one lowercase")]
    [InlineData("Ab1", "at least 8 characters")]
    public async Task A_weak_password_is_refused_at_registration_with_the_rule_in_words(string password, string rule)
    {
        using var client = host.NewClient();
        var email = $"weak-{Guid.NewGuid():N}"[..13] + "@example.org";
        var response = await client.Http.PostAsync("Account/Register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "register", ["__RequestVerificationToken"] = Token(await client.Http.GetStringAsync("Account/Register")),
            ["Input.DisplayName"] = "Weak", ["Input.Email"] = email, ["Input.Password"] = password,
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(rule, await response.Content.ReadAsStringAsync());
        await using var db = await host.NewDbAsync();
        Assert.False(await db.Users.AnyAsync(u => u.Email == email));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_five_minutes_with_a_message_even_against_the_right_password()
    {
        var options = host.Services.GetRequiredService<IOptions<IdentityOptions>>().Value;
        Assert.Equal((5, TimeSpan.FromMinutes(5), true), (options.Lockout.MaxFailedAccessAttempts, options.Lockout.DefaultLockoutTimeSpan, options.Lockout.AllowedForNewUsers));

        using var client = host.NewClient();
        var email = $"lock-{Guid.NewGuid():N}"[..13] + "@example.org";
        await SignInTests.RegisterAsync(client, email, await host.OutsiderJoinCodeAsync());
        using var attacker = host.NewClient();
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, (await attacker.PostLoginAsync(email, "Wrong-pass-1")).StatusCode);
        var fifth = await attacker.PostLoginAsync(email, "Wrong-pass-1");
        var sixth = await attacker.PostLoginAsync(email, PortalHost.Password);
        Assert.Equal(HttpStatusCode.Redirect, sixth.StatusCode);
        Assert.Contains("Account/Lockout", sixth.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await attacker.Http.GetAsync("classes")).StatusCode);
        Assert.Contains("locked", await attacker.Http.GetStringAsync("Account/Lockout"), StringComparison.OrdinalIgnoreCase);

        await using var db = await host.NewDbAsync();
        var end = await db.Users.Where(u => u.Email == email).Select(u => u.LockoutEnd).SingleAsync();
        Assert.NotNull(end);
        Assert.InRange(end!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        _ = fifth;
    }
}
