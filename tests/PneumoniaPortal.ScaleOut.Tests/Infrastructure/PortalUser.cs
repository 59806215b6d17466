using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Web.Runs;

namespace PneumoniaPortal.ScaleOut.Tests.Infrastructure;

/// <summary>
/// A person at one portal node over HTTP: a cookie jar and an HttpClient that does not follow redirects, the run API,
/// and a SignalR connection to the training hub with the same cookie. Cookies belong to the host (127.0.0.1), not
/// the port, as in a browser: <see cref="At"/> takes the same sign-in to another node.
/// </summary>
public sealed class PortalUser : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public PortalUser(Uri baseAddress, CookieContainer? cookies = null)
    {
        Cookies = cookies ?? new CookieContainer();
        Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public HttpClient Http { get; }
    public CookieContainer Cookies { get; }
    public Uri BaseAddress => Http.BaseAddress!;

    /// <summary>The same person (same cookies) at another node.</summary>
    public PortalUser At(PortalProcess node) => new(node.BaseAddress, Cookies);

    /// <summary>The cookie header a browser would send, for SignalR clients.</summary>
    public string CookieHeader => Cookies.GetCookieHeader(BaseAddress);

    /// <summary>Fills and posts the static sign-in form; fails unless it redirects (signed in).</summary>
    public async Task SignInAsync(string email, string password = PortalCluster.Password)
    {
        var form = await Http.GetStringAsync("Account/Login");
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await Http.PostAsync("Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {email} at {BaseAddress} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary><c>POST /api/runs</c>, as is (for tests of refusals).</summary>
    public Task<HttpResponseMessage> PostRunAsync(string name, RunConfig config) =>
        Http.PostAsJsonAsync("api/runs", new StartRunRequest(name, "tiny", config), Json);

    /// <summary>Starts a run through the API; its id.</summary>
    public async Task<int> StartRunAsync(string name, RunConfig config)
    {
        var response = await PostRunAsync(name, config);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Starting {name} at {BaseAddress} failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt32();
    }

    public async Task<RunView> GetRunAsync(int id) =>
        (await Http.GetFromJsonAsync<RunView>($"api/runs/{id}", Json))!;

    public async Task CancelRunAsync(int id)
    {
        var response = await Http.PostAsync($"api/runs/{id}/cancel", null);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Cancelling run {id} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Polls the run every 200 ms until <paramref name="until"/> holds; fails with its last state after the timeout.</summary>
    public async Task<RunView> WaitForRunAsync(int id, TimeSpan timeout, Func<RunView, bool> until, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            RunView? run = null;
            try { run = await GetRunAsync(id); }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline) { }
            if (run is not null && until(run)) return run;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Run {id} did not get {what} within {timeout.TotalSeconds:0} s: it is {run?.Status} ({run?.Message} {run?.Error}), {run?.EpochsDone} epochs done.");
            await Task.Delay(200);
        }
    }

    public Task<RunView> WaitForStatusAsync(int id, TimeSpan timeout, params string[] statuses) =>
        WaitForRunAsync(id, timeout, r => statuses.Contains(r.Status), string.Join(" or ", statuses));

    /// <summary>A connection (not started) to this node's training hub, signed in with this user's cookie.</summary>
    public HubConnection TrainingHub() =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, Web.Runs.TrainingHub.Path.TrimStart('/')), o => o.Headers.Add("Cookie", CookieHeader))
            .Build();

    public void Dispose() => Http.Dispose();
}

/// <summary>A run as <c>GET /api/runs/{id}</c> shows it, with its stored epoch history.</summary>
public sealed record RunView(int Id, string Name, string Status, string? Message, string? Error, int EpochsDone, int EpochsPlanned, int? QueuePosition, List<LiveEpoch> History);

/// <summary>Run settings that train on the shipped sample in a known time (at most 200 training images).</summary>
public static class RunConfigs
{
    /// <summary>Trains in a few seconds: 48 px, two small blocks (an epoch takes well under a second once images are cached).</summary>
    public static RunConfig Tiny(int epochs = 3) => new()
    {
        Architecture = new ArchitectureSpec
        {
            Name = "tiny", InputSize = 48, Channels = 1,
            Blocks = [new ConvBlockSpec(8), new ConvBlockSpec(16)],
        },
        Augmentation = new AugmentationSettings { RotationDegrees = 5 },
        Training = new TrainingSettings { Epochs = epochs, BatchSize = 32, EarlyStoppingPatience = 0, LearningRate = 3e-3, Seed = 7, MaxTrainImages = 200 },
    };

    /// <summary>Keeps a worker busy for seconds per epoch (96 px, three blocks): for tests that act while a run trains.</summary>
    public static RunConfig Slow(int epochs = 30) => Tiny(epochs) with
    {
        Architecture = Tiny().Architecture with { InputSize = 96, Blocks = [new(16), new(32), new(64)] },
    };
}
