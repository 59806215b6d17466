using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace PneumoniaPortal.ScaleOut.Tests.Infrastructure;

/// <summary>What a node does (<c>--role</c>): serve people, train, or both.</summary>
public enum PortalRole { Web, Worker, All }

/// <summary>
/// One portal node: the real built binary (<c>dotnet exec PneumoniaPortal.Web.dll --role … --urls http://127.0.0.1:{port}</c>)
/// as a child process with its settings in its environment, its output in a log (<see cref="Tail"/> for failure
/// messages). <see cref="Kill"/> is a crash (SIGKILL to its whole tree); <see cref="RestartAsync"/> brings it back on
/// the same port. Usually made by <see cref="PortalCluster"/>, which gives every node the shared settings.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    readonly Dictionary<string, string> _settings;
    ChildProcess? _process;

    public PortalProcess(string name, PortalRole role, IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        Name = name;
        Role = role;
        Port = port ?? LoopbackPorts.Free();
        _settings = new(settings);
        LogPath = ScratchFolders.NewLog($"node-{name}");
    }

    public string Name { get; }
    public PortalRole Role { get; }
    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public string LogPath { get; }
    public bool IsRunning => _process is { HasExited: false };
    public int? ProcessId => _process?.Id;

    /// <summary>The settings it starts with (configuration keys with ':' as in appsettings), e.g. <c>Training:LostAfterSeconds</c>.</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;

    /// <summary>Starts the node and waits until it is ready: <c>/health/live</c> answers, and for nodes that serve people <c>/health</c> is Healthy.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (IsRunning) throw new InvalidOperationException($"Node {Name} is already running.");
        _process?.Dispose();
        var bin = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet",
        [
            "exec", "--runtimeconfig", Path.Combine(bin, "PneumoniaPortal.Web.runtimeconfig.json"),
            "--depsfile", Path.Combine(bin, "PneumoniaPortal.Web.deps.json"), Path.Combine(bin, "PneumoniaPortal.Web.dll"),
            "--role", Role.ToString().ToLowerInvariant(), "--urls", $"http://127.0.0.1:{Port}",
        ])
        { WorkingDirectory = bin };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_WEBROOT"] = PortalWebRoot.Path;
        start.Environment["DOTNET_gcServer"] = "0"; // four portals on two cores: one small heap each
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in _settings) start.Environment[key.Replace(":", "__")] = value;
        _process = ChildProcess.Start(start, LogPath);
        await WaitUntilReadyAsync(timeout ?? TimeSpan.FromSeconds(120));
    }

    async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var started = Stopwatch.StartNew();
        var path = Role == PortalRole.Worker ? "health/live" : "health";
        string last = "no answer";
        while (true)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"Node {Name} ({Role}) exited at start with code {_process.ExitCode}.\n{Tail()}");
            if (started.Elapsed > timeout)
                throw new TimeoutException($"Node {Name} ({Role}) was not ready within {timeout.TotalSeconds:0} s: {path} said {last}.\n{Tail()}");
            try
            {
                var response = await http.GetAsync(path);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { last = e.Message; }
            await Task.Delay(150);
        }
    }

    /// <summary>The node's <c>/health</c> report: status code and JSON body.</summary>
    public async Task<(HttpStatusCode Status, JsonDocument? Body)> HealthAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var response = await http.GetAsync("health");
        var text = await response.Content.ReadAsStringAsync();
        try { return (response.StatusCode, JsonDocument.Parse(text)); }
        catch (JsonException) { return (response.StatusCode, null); }
    }

    /// <summary>A crash: SIGKILL to the node and everything it started. It stops at once, mid-epoch if it was training.</summary>
    public void Kill() => _process?.Kill();

    /// <summary>A clean shutdown (SIGTERM, as systemd or Docker send); killed if it takes longer than 30 s.</summary>
    public Task StopAsync() => _process?.StopAsync(Signals.Terminate, TimeSpan.FromSeconds(30)) ?? Task.CompletedTask;

    /// <summary>Stops the node (cleanly, or with <paramref name="crash"/> by SIGKILL) and starts it again on the same port.</summary>
    public async Task RestartAsync(bool crash = false)
    {
        if (crash) Kill();
        else await StopAsync();
        await StartAsync();
    }

    /// <summary>The last lines the node logged, headed by its name, for failure messages.</summary>
    public string Tail(int lines = 40) => $"--- node {Name} ({Role}, :{Port}, log {LogPath}) ---\n{_process?.Tail(lines)}";

    /// <summary>A browser-like HTTP client for this node (keeps cookies, does not follow redirects), not signed in.</summary>
    public PortalUser Anonymous() => new(BaseAddress);

    /// <summary>Signs in through this node's sign-in form; the cookie is good on every node that shares the data folder.</summary>
    public async Task<PortalUser> SignInAsync(string email, string password = PortalCluster.Password)
    {
        var user = new PortalUser(BaseAddress);
        await user.SignInAsync(email, password);
        return user;
    }

    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
