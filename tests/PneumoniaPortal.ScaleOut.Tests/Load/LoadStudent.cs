using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Web.Runs;

namespace PneumoniaPortal.ScaleOut.Tests.Load;

/// <summary>
/// One simulated student on one node: a browser-like HTTP client (keeps cookies, does not follow redirects, at most six
/// connections like a browser) and, once <see cref="WatchAsync"/> has run, one SignalR connection on a run's group.
/// </summary>
public sealed partial class LoadStudent : IAsyncDisposable
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    readonly CookieContainer _cookies = new();
    HubConnection? _hub;
    volatile bool _stopping;
    int _epochs;
    // The browser's cache: thumbnails are served with max-age a week, so a student's browser fetches each one once.
    readonly HashSet<string> _cachedThumbnails = [];

    public LoadStudent(LoadNode node, string email)
    {
        Node = node;
        Email = email;
        Http = new HttpClient(new SocketsHttpHandler
        {
            CookieContainer = _cookies, UseCookies = true, AllowAutoRedirect = false, MaxConnectionsPerServer = 6,
        })
        { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public LoadNode Node { get; }
    public string Email { get; }
    public HttpClient Http { get; }
    public int WatchedRun { get; private set; }
    public int EpochsReceived => Volatile.Read(ref _epochs);

    /// <summary>Why the SignalR connection closed while the test still needed it (null: it did not).</summary>
    public string? HubLost { get; private set; }

    public IEnumerable<System.Net.Cookie> Cookies => _cookies.GetCookies(Node.BaseAddress);

    /// <summary>Registers through the real form with the class join code (the form signs the new student in).</summary>
    public async Task RegisterAsync(string displayName, string password, string joinCode, CancellationToken ct)
    {
        var response = await PostFormAsync("Account/Register", "register", new()
        {
            ["Input.DisplayName"] = displayName,
            ["Input.Email"] = Email,
            ["Input.Password"] = password,
            ["Input.JoinCode"] = joinCode,
        }, ct);
        if (response.StatusCode != HttpStatusCode.Redirect || !Cookies.Any())
            throw new InvalidOperationException($"Registering {Email} failed: {(int)response.StatusCode} {Errors(await response.Content.ReadAsStringAsync(ct))}");
    }

    public async Task SignInAsync(string password, CancellationToken ct)
    {
        var response = await PostFormAsync("Account/Login", "login", new() { ["Input.Email"] = Email, ["Input.Password"] = password }, ct);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Signing in as {Email} failed: {(int)response.StatusCode} {Errors(await response.Content.ReadAsStringAsync(ct))}");
    }

    async Task<HttpResponseMessage> PostFormAsync(string path, string handler, Dictionary<string, string> fields, CancellationToken ct)
    {
        var form = await Http.GetStringAsync(path, ct);
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = AntiforgeryToken().Match(form).Groups[1].Value;
        return await Http.PostAsync(path, new FormUrlEncodedContent(fields), ct);
    }

    static string Errors(string html) =>
        string.Join(" ", ErrorAlert().Matches(html).Select(m => WebUtility.HtmlDecode(Regex.Replace(m.Groups[1].Value, "<[^>]+>", "")).Trim()));

    /// <summary>The join code of the first class in the instructor's class list.</summary>
    public async Task<string> JoinCodeAsync(CancellationToken ct)
    {
        var html = await Http.GetStringAsync("classes", ct);
        var match = JoinCode().Match(html);
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"No join code on {Email}'s class list.");
    }

    /// <summary>How many images of the active data set this student sees (the explorer's gallery).</summary>
    /// <summary>The ids of the images this student may see, in the gallery's order (the catalog API).</summary>
    public async Task<IReadOnlyList<string>> VisibleImagesAsync(CancellationToken ct)
    {
        using var json = JsonDocument.Parse(await Http.GetStringAsync("api/dataset/images", ct));
        return json.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
    }

    public async Task<int> StartRunAsync(string name, RunConfig config, CancellationToken ct)
    {
        var response = await Http.PostAsJsonAsync("api/runs", new StartRunRequest(name, config.Architecture.Name, config), Json, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{Email} could not start {name}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt32();
    }

    public async Task ShareWithClassAsync(int runId, CancellationToken ct)
    {
        var response = await Http.PostAsync($"api/runs/{runId}/share?shared=true", null, ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{Email} could not share run {runId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    public async Task CancelRunAsync(int runId, CancellationToken ct)
    {
        var response = await Http.PostAsync($"api/runs/{runId}/cancel", null, ct);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.BadRequest) // 400: it has already ended
            throw new InvalidOperationException($"{Email} could not cancel run {runId}: {(int)response.StatusCode}");
    }

    public async Task<(string Status, int EpochsDone)> RunStatusAsync(int runId, CancellationToken ct)
    {
        using var json = JsonDocument.Parse(await Http.GetStringAsync($"api/runs/{runId}", ct));
        return (json.RootElement.GetProperty("status").GetString()!, json.RootElement.GetProperty("epochsDone").GetInt32());
    }

    /// <summary>Opens the student's SignalR connection (cookie auth, as the run page does) and joins the run's group.</summary>
    public async Task WatchAsync(int runId, Action<EpochMessage, long> onEpoch, CancellationToken ct)
    {
        WatchedRun = runId;
        var cookie = string.Join("; ", Cookies.Select(c => $"{c.Name}={c.Value}"));
        _hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Node.BaseAddress, TrainingHub.Path.TrimStart('/')), o => o.Headers.Add("Cookie", cookie))
            .Build();
        _hub.On<EpochMessage>("epoch", message =>
        {
            var received = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (message.RunId != runId) return;
            Interlocked.Increment(ref _epochs);
            onEpoch(message, received);
        });
        _hub.Closed += e =>
        {
            if (!_stopping) HubLost = e?.Message ?? "the server closed the connection";
            return Task.CompletedTask;
        };
        await _hub.StartAsync(ct);
        await _hub.InvokeAsync<List<LiveEpoch>>("WatchRun", runId, ct);
    }

    /// <summary>
    /// Until <paramref name="until"/>: opens a page, as a browser would on a first visit without a circuit (the
    /// prerendered HTML), with the thumbnails the explorer shows, then thinks 1 to 3 seconds.
    /// </summary>
    public async Task BrowseAsync(IReadOnlyList<int> visibleRuns, IReadOnlyList<string> images, DateTime until, LatencyLog log, int seed, CancellationToken ct)
    {
        var random = new Random(seed);
        // Students arrive over the first two seconds rather than all in the same millisecond.
        await Task.Delay(random.Next(2000), ct);
        while (DateTime.UtcNow < until && !ct.IsCancellationRequested)
        {
            var run = visibleRuns[random.Next(visibleRuns.Count)];
            switch (random.Next(5))
            {
                case 0: await GetAsync("/", "", log, ct); break;
                case 1:
                    await GetAsync("/dataset", "dataset", log, ct);
                    // A screen of the gallery: two dozen thumbnails, those not in the browser's cache fetched in parallel.
                    var first = random.Next(Math.Max(1, images.Count - 24));
                    await Task.WhenAll(images.Skip(first).Take(24).Where(_cachedThumbnails.Add)
                        .Select(id => GetAsync("/api/dataset/images/{id}/thumb", $"api/dataset/images/{id}/thumb", log, ct)));
                    break;
                case 2: await GetAsync("/runs", "runs", log, ct); break;
                case 3: await GetAsync("/runs/{id}", $"runs/{run}", log, ct); break;
                default: await GetAsync("/leaderboard", "leaderboard", log, ct); break;
            }
            try { await Task.Delay(1000 + random.Next(2000), ct); }
            catch (OperationCanceledException) { break; }
        }
    }

    async Task GetAsync(string page, string path, LatencyLog log, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
            await response.Content.ReadAsByteArrayAsync(ct);
            var code = (int)response.StatusCode;
            string? error = code is >= 200 and < 400 ? null : $"HTTP {code}";
            if (response.Headers.Location?.OriginalString.Contains("Account/Login", StringComparison.OrdinalIgnoreCase) == true)
                error = "redirected to sign-in (signed out)";
            log.Add(page, clock.Elapsed.TotalMilliseconds, code, error is null ? null : $"{page} as {Email}: {error}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            var why = ct.IsCancellationRequested ? "no answer before the test stopped waiting" : e is TaskCanceledException ? "timed out after 30 s" : e.Message;
            log.Add(page, clock.Elapsed.TotalMilliseconds, 0, $"{page} as {Email}: {why}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        if (_hub is not null)
        {
            try { await _hub.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)); }
            catch (Exception) { /* already gone or stuck: the portal process is stopped next anyway */ }
        }
        Http.Dispose();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("data-testid=\"(?:register|login)-error\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex ErrorAlert();

    [GeneratedRegex("data-testid=\"class-join-code\"[^>]*>\\s*([A-Z0-9]{6})\\s*<")]
    private static partial Regex JoinCode();
}
