using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Classes;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.People;
using PneumoniaPortal.Web.Practice;
using PneumoniaPortal.Web.Proposals;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Security;

/// <summary>
/// Every endpoint of the running portal, asked by every kind of person. The table below is the authorization policy
/// written down: an endpoint missing from it fails the test, so nobody adds one without saying who may call it.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class AuthorizationMatrixTests(SecurityHost host)
{
    /// <summary>
    /// One endpoint: its methods and route pattern as the routing table holds them, the request to send (with real ids),
    /// and the outcome for each person in this order: anonymous, owner (student A), another student of the same class,
    /// the class's instructor, an instructor of another class, admin. Outcomes are status codes, or "login" / "denied"
    /// for a redirect to the sign-in / access-denied / two-factor page.
    /// </summary>
    sealed record Row(string Method, string Pattern, Func<SecurityHost, HttpRequestMessage> Request, string Expected);

    static readonly Who[] Columns = [Who.Anonymous, Who.Owner, Who.OtherStudent, Who.Instructor, Who.OtherInstructor, Who.Admin];
    // Refused people first, so a state change by an allowed one never decides what a refused one sees.
    static readonly Who[] AskingOrder = [Who.Anonymous, Who.OtherStudent, Who.OtherInstructor, Who.Owner, Who.Instructor, Who.Admin];

    static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);
    static HttpRequestMessage Post(string url, HttpContent? content = null) => new(HttpMethod.Post, url) { Content = content };
    static HttpRequestMessage PostJson<T>(string url, T body) => Post(url, JsonContent.Create(body, options: PortalApi.Json));
    static HttpRequestMessage PutJson<T>(string url, T body) => new(HttpMethod.Put, url) { Content = JsonContent.Create(body, options: PortalApi.Json) };

    static MultipartFormDataContent Upload(byte[] bytes, string name)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new("image/jpeg");
        form.Add(file, "file", name);
        return form;
    }

    static readonly Row[] Table =
    [
        // Pages: the prerendered HTML. Anonymous people are sent to sign in; the import page is for staff only.
        new("GET", "/", _ => Get(""), "login 200 200 200 200 200"),
        new("GET", "/classes", _ => Get("classes"), "login 200 200 200 200 200"),
        new("GET", "/dataset", _ => Get("dataset"), "login 200 200 200 200 200"),
        new("GET", "/dataset/import", _ => Get("dataset/import"), "login denied denied 200 200 200"),
        new("GET", "/leaderboard", _ => Get("leaderboard"), "login 200 200 200 200 200"),
        new("GET", "/leaderboard/{Id:int}", h => Get($"leaderboard/{h.LeaderboardId}"), "login 200 200 200 200 200"),
        new("GET", "/runs", _ => Get("runs"), "login 200 200 200 200 200"),
        new("GET", "/runs/new", _ => Get("runs/new"), "login 200 200 200 200 200"),
        new("GET", "/runs/compare", h => Get($"runs/compare?ids={h.RunId}"), "login 200 200 200 200 200"),
        new("GET", "/runs/{RunId:int}", h => Get($"runs/{h.RunId}"), "login 200 200 200 200 200"),
        new("GET", "/groups/{GroupId:int}", _ => Get("groups/9999"), "login 200 200 200 200 200"),
        new("GET", "/relabel", _ => Get("relabel"), "login 200 200 200 200 200"),
        new("GET", "/relabel/proposals", _ => Get("relabel/proposals"), "login 200 200 200 200 200"),
        new("GET", "/relabel/practice", _ => Get("relabel/practice"), "login 200 200 200 200 200"),
        new("GET", "/relabel/practice/{Id:int}", h => Get($"relabel/practice/{h.PracticeSetId}"), "login 200 200 200 200 200"),
        new("GET", "/Error", _ => Get("Error"), "200 200 200 200 200 200"),
        new("GET", "/not-found", _ => Get("not-found"), "200 200 200 200 200 200"),
        new("GET", "/Account/Login", _ => Get("Account/Login"), "200 200 200 200 200 200"),
        new("GET", "/Account/Register", _ => Get("Account/Register"), "200 200 200 200 200 200"),
        new("GET", "/Account/Lockout", _ => Get("Account/Lockout"), "200 200 200 200 200 200"),
        new("GET", "/Account/AccessDenied", _ => Get("Account/AccessDenied"), "200 200 200 200 200 200"),
        new("GET", "/Account/ForgotPassword", _ => Get("Account/ForgotPassword"), "200 200 200 200 200 200"),
        new("GET", "/Account/ResetPassword", _ => Get("Account/ResetPassword?user=nobody&code=bad"), "200 200 200 200 200 200"),
        new("GET", "/Account/Invite", _ => Get("Account/Invite?user=nobody&code=bad"), "200 200 200 200 200 200"),
        // Without a password checked first there is no two-factor step to finish: back to the sign-in page.
        new("GET", "/Account/LoginWith2fa", _ => Get("Account/LoginWith2fa"), "login login login login login login"),
        new("GET", "/Account/LoginWithRecoveryCode", _ => Get("Account/LoginWithRecoveryCode"), "login login login login login login"),
        // My account: every signed-in person, their own account only.
        new("GET", "/Account/Manage", _ => Get("Account/Manage"), "login 200 200 200 200 200"),
        new("GET", "/Account/Manage/ChangePassword", _ => Get("Account/Manage/ChangePassword"), "login 200 200 200 200 200"),
        new("GET", "/Account/Manage/Email", _ => Get("Account/Manage/Email"), "login 200 200 200 200 200"),
        new("GET", "/Account/Manage/Classes", _ => Get("Account/Manage/Classes"), "login 200 200 200 200 200"),
        new("GET", "/Account/Manage/TwoFactorAuthentication", _ => Get("Account/Manage/TwoFactorAuthentication"), "login 200 200 200 200 200"),
        new("GET", "/Account/Manage/EnableAuthenticator", _ => Get("Account/Manage/EnableAuthenticator"), "login 200 200 200 200 200"),
        new("GET", "/Account/Manage/ResetAuthenticator", _ => Get("Account/Manage/ResetAuthenticator"), "login 200 200 200 200 200"),
        // Nobody here has two-factor sign-in on: turning it off or new recovery codes lead back to its page.
        new("GET", "/Account/Manage/Disable2fa", _ => Get("Account/Manage/Disable2fa"), "login 2fa 2fa 2fa 2fa 2fa"),
        new("GET", "/Account/Manage/GenerateRecoveryCodes", _ => Get("Account/Manage/GenerateRecoveryCodes"), "login 2fa 2fa 2fa 2fa 2fa"),
        new("GET", "/Account/Manage/PersonalData", _ => Get("Account/Manage/PersonalData"), "login 200 200 200 200 200"),
        new("GET", "/Account/Manage/DeletePersonalData", _ => Get("Account/Manage/DeletePersonalData"), "login 200 200 200 200 200"),
        // People: admins only. A class's roster: its instructors and admins (the page of a class one does not teach says so).
        new("GET", "/admin/people", _ => Get("admin/people"), "login denied denied denied denied 200"),
        new("GET", "/classes/{Id:int}/roster", h => Get($"classes/{h.CourseId}/roster"), "login denied denied 200 200 200"),
        new("GET", "/classes/{Id:int}", h => Get($"classes/{h.CourseId}"), "login 200 200 200 200 200"),
        // A form post to a page without its antiforgery token is refused (after sign-in is checked).
        new("POST", "/", _ => Post("", Form()), "login 400 400 400 400 400"),
        new("POST", "/classes", _ => Post("classes", Form()), "login 400 400 400 400 400"),
        new("POST", "/dataset", _ => Post("dataset", Form()), "login 400 400 400 400 400"),
        new("POST", "/dataset/import", _ => Post("dataset/import", Form()), "login denied denied 400 400 400"),
        new("POST", "/leaderboard", _ => Post("leaderboard", Form()), "login 400 400 400 400 400"),
        new("POST", "/leaderboard/{Id:int}", h => Post($"leaderboard/{h.LeaderboardId}", Form()), "login 400 400 400 400 400"),
        new("POST", "/runs", _ => Post("runs", Form()), "login 400 400 400 400 400"),
        new("POST", "/runs/new", _ => Post("runs/new", Form()), "login 400 400 400 400 400"),
        new("POST", "/runs/compare", _ => Post("runs/compare", Form()), "login 400 400 400 400 400"),
        new("POST", "/runs/{RunId:int}", h => Post($"runs/{h.RunId}", Form()), "login 400 400 400 400 400"),
        new("POST", "/groups/{GroupId:int}", _ => Post("groups/9999", Form()), "login 400 400 400 400 400"),
        new("POST", "/relabel", _ => Post("relabel", Form()), "login 400 400 400 400 400"),
        new("POST", "/relabel/proposals", _ => Post("relabel/proposals", Form()), "login 400 400 400 400 400"),
        new("POST", "/relabel/practice", _ => Post("relabel/practice", Form()), "login 400 400 400 400 400"),
        new("POST", "/relabel/practice/{Id:int}", h => Post($"relabel/practice/{h.PracticeSetId}", Form()), "login 400 400 400 400 400"),
        new("POST", "/Error", _ => Post("Error", Form()), "400 400 400 400 400 400"),
        new("POST", "/not-found", _ => Post("not-found", Form()), "400 400 400 400 400 400"),
        new("POST", "/Account/Login", _ => Post("Account/Login", Form(("_handler", "login"), ("Input.Email", DemoSeeder.AdminEmail), ("Input.Password", PortalHost.Password))), "400 400 400 400 400 400"),
        new("POST", "/Account/Register", _ => Post("Account/Register", Form(("_handler", "register"))), "400 400 400 400 400 400"),
        new("POST", "/Account/Lockout", _ => Post("Account/Lockout", Form()), "400 400 400 400 400 400"),
        new("POST", "/Account/AccessDenied", _ => Post("Account/AccessDenied", Form()), "400 400 400 400 400 400"),
        new("POST", "/Account/ForgotPassword", _ => Post("Account/ForgotPassword", Form(("_handler", "forgot-password"), ("Input.Email", DemoSeeder.StudentEmail))), "400 400 400 400 400 400"),
        new("POST", "/Account/ResetPassword", _ => Post("Account/ResetPassword", Form(("_handler", "reset-password"))), "400 400 400 400 400 400"),
        new("POST", "/Account/Invite", _ => Post("Account/Invite", Form(("_handler", "accept-invite"))), "400 400 400 400 400 400"),
        new("POST", "/Account/LoginWith2fa", _ => Post("Account/LoginWith2fa", Form()), "400 400 400 400 400 400"),
        new("POST", "/Account/LoginWithRecoveryCode", _ => Post("Account/LoginWithRecoveryCode", Form()), "400 400 400 400 400 400"),
        new("POST", "/Account/Manage", _ => Post("Account/Manage", Form(("_handler", "profile"), ("Input.DisplayName", "Forged"))), "login 400 400 400 400 400"),
        new("POST", "/Account/Manage/ChangePassword", _ => Post("Account/Manage/ChangePassword", Form(("_handler", "change-password"))), "login 400 400 400 400 400"),
        new("POST", "/Account/Manage/Email", _ => Post("Account/Manage/Email", Form(("_handler", "change-email"))), "login 400 400 400 400 400"),
        new("POST", "/Account/Manage/Classes", _ => Post("Account/Manage/Classes", Form()), "login 400 400 400 400 400"),
        new("POST", "/Account/Manage/TwoFactorAuthentication", _ => Post("Account/Manage/TwoFactorAuthentication", Form()), "login 400 400 400 400 400"),
        new("POST", "/Account/Manage/EnableAuthenticator", _ => Post("Account/Manage/EnableAuthenticator", Form(("_handler", "verify-authenticator"))), "login 400 400 400 400 400"),
        new("POST", "/Account/Manage/ResetAuthenticator", _ => Post("Account/Manage/ResetAuthenticator", Form()), "login 400 400 400 400 400"),
        new("POST", "/Account/Manage/Disable2fa", _ => Post("Account/Manage/Disable2fa", Form()), "login 400 400 400 400 400"),
        new("POST", "/Account/Manage/GenerateRecoveryCodes", _ => Post("Account/Manage/GenerateRecoveryCodes", Form()), "login 400 400 400 400 400"),
        new("POST", "/Account/Manage/PersonalData", _ => Post("Account/Manage/PersonalData", Form()), "login 400 400 400 400 400"),
        new("POST", "/Account/Manage/DeletePersonalData", _ => Post("Account/Manage/DeletePersonalData", Form(("_handler", "delete-account"), ("Input.Password", PortalHost.Password))), "login 400 400 400 400 400"),
        // The download of one's data is a form post: without the page's token it is refused.
        new("POST", "/Account/Manage/DownloadPersonalData", _ => Post("Account/Manage/DownloadPersonalData", Form()), "login 400 400 400 400 400"),
        new("POST", "/admin/people", _ => Post("admin/people", Form()), "login denied denied denied denied 400"),
        new("POST", "/classes/{Id:int}/roster", h => Post($"classes/{h.CourseId}/roster", Form()), "login denied denied 400 400 400"),
        new("POST", "/classes/{Id:int}", h => Post($"classes/{h.CourseId}", Form()), "login 400 400 400 400 400"),

        // Health: anonymous and label-free, for load balancers.
        new("*", "/health", _ => Get("health"), "200 200 200 200 200 200"),
        new("*", "/health/live", _ => Get("health/live"), "200 200 200 200 200 200"),

        // Hubs: the training hub needs a sign-in; Blazor's own circuit hub is open (pages check access themselves).
        new("*", "/hubs/training/negotiate", _ => Post("hubs/training/negotiate?negotiateVersion=1"), "401 200 200 200 200 200"),
        new("*", "/hubs/training", _ => Get("hubs/training"), "401 400 400 400 400 400"),
        new("*", "/_blazor/negotiate", _ => Post("_blazor/negotiate?negotiateVersion=1"), "200 200 200 200 200 200"),
        new("*", "/_blazor", _ => Get("_blazor"), "400 400 400 400 400 400"),
        new("*", "/_blazor/disconnect/", _ => Post("_blazor/disconnect/"), "400 400 400 400 400 400"),
        new("*", "/_blazor/initializers/", _ => Get("_blazor/initializers/"), "200 200 200 200 200 200"),
        new("GET", "/_framework/opaque-redirect", _ => Get("_framework/opaque-redirect"), "400 400 400 400 400 400"),
        new("GET,HEAD", "{**path:file}", _ => Get("no-such-file.txt"), "404 404 404 404 404 404"),

        // Data set: every signed-in person may look; only staff import.
        new("GET", "/api/dataset/statistics", _ => Get("api/dataset/statistics"), "401 200 200 200 200 200"),
        new("GET", "/api/dataset/images", _ => Get("api/dataset/images"), "401 200 200 200 200 200"),
        new("GET", "/api/dataset/images/{id}", h => Get($"api/dataset/images/{h.ImageId}"), "401 200 200 200 200 200"),
        new("GET", "/api/dataset/images/{id}/thumb", h => Get($"api/dataset/images/{h.ImageId}/thumb"), "401 200 200 200 200 200"),
        new("POST", "/api/dataset/import", _ => Post("api/dataset/import?name=not-a-dataset", Zip()), "401 403 403 400 400 400"),
        // Uploads in pieces: staff begin them; an upload id that is not the caller's answers as one that does not exist.
        new("POST", "/api/dataset/uploads/", _ => PostJson("api/dataset/uploads", new Web.Dataset.BeginUploadRequest("not-a-zip.txt", 10)), "401 403 403 400 400 400"),
        new("GET", "/api/dataset/uploads/{id}", _ => Get("api/dataset/uploads/000000000000000000000000"), "401 404 404 404 404 404"),
        new("PUT", "/api/dataset/uploads/{id}", _ => new(HttpMethod.Put, "api/dataset/uploads/000000000000000000000000?offset=0") { Content = Octets() }, "401 404 404 404 404 404"),
        new("POST", "/api/dataset/uploads/{id}/import", _ => Post("api/dataset/uploads/000000000000000000000000/import"), "401 404 404 404 404 404"),
        new("GET", "/api/dataset/known", _ => Get("api/dataset/known"), "401 403 403 200 200 200"),
        new("POST", "/api/dataset/{id:int}/default", _ => Post("api/dataset/9999/default"), "401 403 403 403 403 404"),
        new("POST", "/api/dataset/resplit", _ => PostJson("api/dataset/resplit", new Web.Dataset.ResplitRequest(1, 0.9, 0.9, 0.9, 1)), "401 403 403 400 400 400"),

        // Runs: student A's run is private; the class's instructor and the admin see it, nobody else does. Cancel and
        // resume refuse with "not yours" (400) whether or not the run exists, so they reveal nothing either.
        new("GET", "/api/runs/", _ => Get("api/runs"), "401 200 200 200 200 200"),
        new("GET", "/api/runs/{id:int}", h => Get($"api/runs/{h.RunId}"), "401 200 404 200 404 200"),
        new("POST", "/api/runs/", _ => PostJson("api/runs", new StartRunRequest("refused", "tiny", PortalApi.TinyConfig(epochs: 0))), "401 400 400 400 400 400"),
        new("POST", "/api/runs/{id:int}/cancel", h => Post($"api/runs/{h.RunId}/cancel"), "401 400 400 400 400 400"),
        new("POST", "/api/runs/{id:int}/resume", h => Post($"api/runs/{h.RunId}/resume"), "401 400 400 400 400 400"),
        new("POST", "/api/runs/{id:int}/share", h => Post($"api/runs/{h.RunId}/share?shared=false"), "401 204 400 204 400 204"),
        new("GET", "/api/runs/compare", h => Get($"api/runs/compare?ids={h.RunId}"), "401 400 400 400 400 400"),
        // Seed groups: seen like their runs (SeedGroupTests covers owners and classmates); an id of nothing answers alike for everyone.
        new("GET", "/api/groups/{id:int}", _ => Get("api/groups/9999"), "401 404 404 404 404 404"),
        new("POST", "/api/groups/{id:int}/share", _ => Post("api/groups/9999/share?shared=true"), "401 400 400 400 400 400"),
        new("GET", "/api/groups/compare", _ => Get("api/groups/compare?ids=9999"), "401 400 400 400 400 400"),
        new("GET", "/api/runs/{id:int}/download/checkpoint", h => Get($"api/runs/{h.RunId}/download/checkpoint"), "401 200 404 200 404 200"),
        new("GET", "/api/runs/{id:int}/download/predictions", h => Get($"api/runs/{h.RunId}/download/predictions"), "401 200 404 200 404 200"),
        new("GET", "/api/runs/{id:int}/download/settings", h => Get($"api/runs/{h.RunId}/download/settings"), "401 200 404 200 404 200"),
        new("GET", "/api/runs/{id:int}/download/figures", h => Get($"api/runs/{h.RunId}/download/figures"), "401 200 404 200 404 200"),
        new("GET", "/api/runs/{id:int}/activations/{image}", h => Get($"api/runs/{h.RunId}/activations/{h.TestImageId}"), "401 200 404 200 404 200"),
        new("POST", "/api/runs/{id:int}/activations/{image}", h => Post($"api/runs/{h.RunId}/activations/{h.TestImageId}"), "401 200 404 200 404 200"),
        new("POST", "/api/runs/{id:int}/activations/{image}/sanity", h => Post($"api/runs/{h.RunId}/activations/{h.TestImageId}/sanity"), "401 200 404 200 404 200"),
        new("GET", "/api/runs/{id:int}/activations/{key}/{file}", h => Get(h.ActivationPictureUrl), "401 200 404 200 404 200"),
        new("POST", "/api/runs/{id:int}/predict", h => Post($"api/runs/{h.RunId}/predict", Upload(h.TestImageBytes, "xray.jpeg")), "401 200 404 200 404 200"),

        // Leaderboards: the class sees its board; only its instructors (and admins) manage it.
        new("GET", "/api/leaderboards/", _ => Get("api/leaderboards"), "401 200 200 200 200 200"),
        new("GET", "/api/leaderboards/{id:int}", h => Get($"api/leaderboards/{h.LeaderboardId}"), "401 200 200 200 404 200"),
        new("GET", "/api/leaderboards/{id:int}/eligible-runs", h => Get($"api/leaderboards/{h.LeaderboardId}/eligible-runs"), "401 200 200 200 404 200"),
        new("POST", "/api/leaderboards/", h => PostJson("api/leaderboards", new CreateLeaderboardRequest(h.CourseId, new LeaderboardSettings { Title = "", Seed = 1 })), "401 403 403 400 403 400"),
        new("POST", "/api/leaderboards/{id:int}/submissions", h => PostJson($"api/leaderboards/{h.LeaderboardId}/submissions", new SubmitRunRequest(h.RunId)), "401 200 403 403 404 403"),
        new("PUT", "/api/leaderboards/{id:int}/settings", h => PutJson($"api/leaderboards/{h.LeaderboardId}/settings", new LeaderboardSettingsChange("Security board", null, null, null)), "401 403 403 200 404 200"),
        new("POST", "/api/leaderboards/{id:int}/freeze", h => Post($"api/leaderboards/{h.LeaderboardId}/freeze?frozen=false"), "401 403 403 200 404 200"),
        // Final choices: a student of the class chooses among their own submissions (none here); staff choose nothing.
        new("PUT", "/api/leaderboards/{id:int}/finals", h => PutJson($"api/leaderboards/{h.LeaderboardId}/finals", new FinalChoiceRequest([])), "401 200 200 403 404 403"),
        new("POST", "/api/leaderboards/{id:int}/reveal", h => Post($"api/leaderboards/{h.LeaderboardId}/reveal?revealed=false"), "401 403 403 200 404 200"),

        // Blind labelling practice: the class labels; its instructors make, close and grade.
        new("GET", "/api/relabel/practice/", _ => Get("api/relabel/practice"), "401 200 200 200 200 200"),
        new("POST", "/api/relabel/practice/", h => PostJson("api/relabel/practice", new CreatePracticeSet(h.CourseId, "x", PracticeImageChoice.MostDoubtful, 0)), "401 403 403 400 403 400"),
        new("GET", "/api/relabel/practice/{id:int}", h => Get($"api/relabel/practice/{h.PracticeSetId}"), "401 200 200 200 404 200"),
        new("GET", "/api/relabel/practice/{id:int}/items/{itemId:int}/image", h => Get($"api/relabel/practice/{h.PracticeSetId}/items/{h.PracticeItemId}/image"), "401 200 200 200 404 200"),
        new("POST", "/api/relabel/practice/{id:int}/answers", h => PostJson($"api/relabel/practice/{h.PracticeSetId}/answers", new PracticeAnswerRequest(h.PracticeItemId, Label.Normal)), "401 200 200 403 404 403"),
        new("GET", "/api/relabel/practice/{id:int}/results", h => Get($"api/relabel/practice/{h.PracticeSetId}/results"), "401 403 403 200 404 200"),
        new("POST", "/api/relabel/practice/{id:int}/close", h => Post($"api/relabel/practice/{h.PracticeSetId}/close?closed=false"), "401 403 403 200 404 200"),
        // The reader study: students see it once the set is closed (this one is open); the model is the instructors' choice.
        new("GET", "/api/relabel/practice/{id:int}/readers", h => Get($"api/relabel/practice/{h.PracticeSetId}/readers"), "401 403 403 200 404 200"),
        new("GET", "/api/relabel/practice/{id:int}/reader-models", h => Get($"api/relabel/practice/{h.PracticeSetId}/reader-models"), "401 403 403 200 404 200"),
        new("PUT", "/api/relabel/practice/{id:int}/reader-model", h => PutJson($"api/relabel/practice/{h.PracticeSetId}/reader-model", new ReaderModelRequest(null)), "401 403 403 200 404 200"),
        // The second read's help: this set has none, which members are told; others learn nothing.
        new("GET", "/api/relabel/practice/{id:int}/items/{itemId:int}/help", h => Get($"api/relabel/practice/{h.PracticeSetId}/items/{h.PracticeItemId}/help"), "401 409 409 409 404 409"),
        new("GET", "/api/relabel/practice/{id:int}/items/{itemId:int}/gradcam", h => Get($"api/relabel/practice/{h.PracticeSetId}/items/{h.PracticeItemId}/gradcam"), "401 409 409 409 404 409"),

        // Relabelling: labels belong to the portal's data set, but who proposed what stays in the class: an instructor of
        // another class neither sees nor decides the demo class's proposal (404); its own instructor decides it first,
        // the admin later gets 409. Students vote, not on their own proposal.
        new("GET", "/api/relabel/doubtful", _ => Get("api/relabel/doubtful?take=5"), "401 200 200 200 200 200"),
        new("GET", "/api/relabel/proposals", _ => Get("api/relabel/proposals"), "401 200 200 200 200 200"),
        new("GET", "/api/relabel/proposals/{id:int}", h => Get($"api/relabel/proposals/{h.ProposalId}"), "401 200 200 200 404 200"),
        new("POST", "/api/relabel/proposals", h => PostJson("api/relabel/proposals", new ProposeRelabel(h.ImageId, Label.Normal, null, "")), "401 400 400 400 400 400"),
        new("POST", "/api/relabel/proposals/{id:int}/vote", h => PostJson($"api/relabel/proposals/{h.ProposalId}/vote", new CastVote(true, "security")), "401 403 200 200 404 200"),
        new("POST", "/api/relabel/proposals/{id:int}/decision", h => PostJson($"api/relabel/proposals/{h.ProposalId}/decision", new DecideProposal(ReviewDecision.Reject, "security matrix")), "401 403 403 200 404 409"),
        new("GET", "/api/relabel/images/{id}/history", h => Get($"api/relabel/images/{h.ImageId}/history"), "401 200 200 200 200 200"),
        new("GET", "/api/relabel/labels.csv", _ => Get("api/relabel/labels.csv"), "401 200 200 200 200 200"),
        new("GET", "/api/relabel/changes.csv", _ => Get("api/relabel/changes.csv"), "401 200 200 200 200 200"),

        // Classes: everyone signed in lists and joins; a class's instructors (and admins) run its roster. A student is
        // refused outright; an instructor of another class hears "no such class", as for an id that does not exist.
        new("GET", "/api/classes/", _ => Get("api/classes"), "401 200 200 200 200 200"),
        new("POST", "/api/classes/join", _ => PostJson("api/classes/join", new JoinClassRequest("NOPE00")), "401 400 400 400 400 400"),
        new("GET", "/api/classes/{id:int}/roster", h => Get($"api/classes/{h.CourseId}/roster"), "401 403 403 200 404 200"),
        // The class view: every member sees it (a student only their own row); the gradebook export is the instructors'.
        new("GET", "/api/classes/{id:int}/dashboard", h => Get($"api/classes/{h.CourseId}/dashboard"), "401 200 200 200 404 200"),
        new("GET", "/api/classes/{id:int}/dashboard.csv", h => Get($"api/classes/{h.CourseId}/dashboard.csv"), "401 403 403 200 404 200"),
        new("DELETE", "/api/classes/{id:int}/members/{userId}", h => new(HttpMethod.Delete, $"api/classes/{h.CourseId}/members/{h.BystanderId}"), "401 403 403 404 404 404"),
        new("POST", "/api/classes/{id:int}/join-code", h => Post($"api/classes/{h.SpareCourseId}/join-code"), "401 403 403 404 200 200"),
        new("POST", "/api/classes/{id:int}/instructors", h => PostJson($"api/classes/{h.CourseId}/instructors", new AddInstructorRequest(DemoSeeder.StudentEmail)), "401 403 403 400 404 400"),
        new("POST", "/api/classes/{id:int}/archive", h => Post($"api/classes/{h.CourseId}/archive?archived=false"), "401 403 403 204 404 204"),
        new("PUT", "/api/classes/{id:int}/quotas", h => PutJson($"api/classes/{h.CourseId}/quotas", new ClassQuotas(null, null, null)), "401 403 403 204 404 204"),
        new("PUT", "/api/classes/{id:int}/dataset", h => PutJson($"api/classes/{h.CourseId}/dataset", new ClassDatasetRequest(null)), "401 403 403 204 404 204"),
        new("GET", "/api/classes/working", _ => Get("api/classes/working"), "401 200 200 200 200 200"),
        new("PUT", "/api/classes/working", h => PutJson("api/classes/working", new WorkingClassRequest(h.CourseId)), "401 200 200 200 404 200"),

        // People: admins only; the changes are made to a bystander's account.
        new("GET", "/api/admin/people/", _ => Get("api/admin/people"), "401 403 403 403 403 200"),
        new("POST", "/api/admin/people/{id}/roles", h => PostJson($"api/admin/people/{h.BystanderId}/roles", new RoleChange(Roles.Instructor, false)), "401 403 403 403 403 204"),
        new("POST", "/api/admin/people/{id}/lock", h => Post($"api/admin/people/{h.BystanderId}/lock?locked=false"), "401 403 403 403 403 204"),
        new("POST", "/api/admin/people/{id}/reset-link", h => Post($"api/admin/people/{h.BystanderId}/reset-link"), "401 403 403 403 403 200"),
        new("POST", "/api/admin/people/invitations", _ => PostJson("api/admin/people/invitations", new InviteRequest($"invited-{Guid.NewGuid():N}"[..16] + "@example.org", Roles.Instructor, false)), "401 403 403 403 403 200"),

        // Last: if signing out ever worked without the page's token, every later request would be anonymous.
        new("POST", "/Account/Logout", _ => Post("Account/Logout", Form()), "400 400 400 400 400 400"),
    ];

    static FormUrlEncodedContent Form(params IEnumerable<(string Key, string Value)> fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    static ByteArrayContent Octets()
    {
        var content = new ByteArrayContent(new byte[16]);
        content.Headers.ContentType = new("application/octet-stream");
        return content;
    }

    static ByteArrayContent Zip()
    {
        var content = new ByteArrayContent(Dataset.DatasetTestData.WrongLayoutZip());
        content.Headers.ContentType = new("application/zip");
        return content;
    }

    /// <summary>"GET /runs/{RunId:int}" for every method of every routed endpoint, static files left out.</summary>
    IReadOnlyList<string> RoutedEndpoints()
    {
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is null);
        return endpoints.SelectMany(e =>
        {
            var methods = e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            var pattern = e.RoutePattern.RawText ?? "";
            // Pages answer GET and POST: two rows. Anything else is one row under its method list.
            if (methods is ["GET", "POST"]) return new[] { $"GET {pattern}", $"POST {pattern}" };
            return [$"{(methods is null ? "*" : string.Join(",", methods))} {pattern}"];
        }).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void Every_endpoint_of_the_portal_is_listed_in_the_authorization_table()
    {
        var routed = RoutedEndpoints();
        var listed = Table.Select(r => $"{r.Method} {r.Pattern}").ToList();
        Assert.Equal(listed.Count, listed.Distinct().Count());
        var unlisted = routed.Except(listed).ToList();
        var stale = listed.Except(routed).ToList();
        Assert.True(unlisted.Count == 0, "Endpoints nobody has said who may call; add them to AuthorizationMatrixTests.Table:\n  " + string.Join("\n  ", unlisted));
        Assert.True(stale.Count == 0, "Table rows for endpoints that no longer exist:\n  " + string.Join("\n  ", stale));
    }

    [Fact]
    public async Task Every_endpoint_answers_each_person_as_the_table_says()
    {
        var wrong = new List<string>();
        var asked = 0;
        foreach (var row in Table)
        {
            var actual = new Dictionary<Who, string>();
            foreach (var who in AskingOrder)
            {
                using var request = row.Request(host);
                using var response = await host[who].Http.SendAsync(request);
                actual[who] = Outcome(response);
                asked++;
            }
            var got = string.Join(' ', Columns.Select(c => actual[c]));
            if (got != row.Expected) wrong.Add($"{row.Method} {row.Pattern}: expected {row.Expected}, got {got}");
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {Table.Length} endpoints answer differently (anonymous owner other-student instructor other-instructor admin):\n  " + string.Join("\n  ", wrong));
        Assert.Equal(Table.Length * Columns.Length, asked);
    }

    static string Outcome(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found)) return ((int)response.StatusCode).ToString();
        var location = response.Headers.Location?.ToString() ?? "";
        if (location.Contains("/Account/Login")) return "login";
        if (location.Contains("/Account/AccessDenied")) return "denied";
        if (location.Contains("/Account/Manage/TwoFactorAuthentication")) return "2fa";
        return "302:" + location;
    }
}
