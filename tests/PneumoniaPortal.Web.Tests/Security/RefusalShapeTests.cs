using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Tests.Security;

/// <summary>
/// Every feature's "no" reaches a script in one shape: the status of its kind and <c>{"problems": [...]}</c> with the
/// message to show (leaderboards, practice, proposals and imports answered RFC 7807 problem details before).
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class RefusalShapeTests(SecurityHost host)
{
    [Fact]
    public async Task Refusals_of_every_feature_answer_their_status_with_the_problems_list()
    {
        using var student = await host.SignInAsync(DemoSeeder.StudentEmail);
        using var admin = await host.SignInAsync(DemoSeeder.AdminEmail);
        (HttpResponseMessage Response, HttpStatusCode Status, string Says)[] answers =
        [
            (await student.Http.GetAsync("api/leaderboards/987654"), HttpStatusCode.NotFound, "Leaderboard 987654 does not exist"),
            (await student.Http.GetAsync("api/relabel/practice/987654"), HttpStatusCode.NotFound, "Practice set 987654 does not exist"),
            (await student.Http.PostAsJsonAsync("api/relabel/proposals/987654/vote", new { agree = true }), HttpStatusCode.NotFound, "There is no proposal #987654"),
            (await student.Http.PostAsJsonAsync("api/relabel/proposals", new { imageId = "nothing", label = "Normal", subtype = (string?)null, reason = "Looks normal to me" }),
                HttpStatusCode.BadRequest, "That is not an image of the data set you may see"),
            (await student.Http.PostAsync("api/runs/987654/cancel", null), HttpStatusCode.BadRequest, "That run is not yours to cancel."),
            (await admin.Http.PostAsync("api/dataset/import", new ByteArrayContent([1, 2, 3])), HttpStatusCode.UnsupportedMediaType, "Send the data set as the request body"),
        ];
        foreach (var (response, status, says) in answers)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var problems = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("problems");
            var said = problems[0].GetString() ?? "";
            Assert.True(said.StartsWith(says, StringComparison.Ordinal), $"{response.RequestMessage?.RequestUri}: {said}");
        }
    }
}
