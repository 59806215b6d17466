using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PneumoniaPortal.ScaleOut.Tests.Load;

/// <summary>One portal node the load goes to: its address and, when it runs on this machine, its process id (for memory).</summary>
public sealed record LoadNode(Uri BaseAddress, int? ProcessId)
{
    /// <summary>Resident set of the node's process from /proc (null for a node on another machine or one that has ended).</summary>
    public long? ResidentBytes()
    {
        if (ProcessId is not { } pid) return null;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException) { }
        return null;
    }
}

/// <summary>
/// The portal under load: one or more nodes. Each simulated student stays on one node (student i on node i mod n),
/// so a cluster can be loaded the same way as the single process <see cref="StartLocalAsync"/> starts.
/// </summary>
public sealed class LoadTarget : IAsyncDisposable
{
    public const string Password = "Load-pass-2026";
    public const string DemoStudent = "student@portal.local", DemoInstructor = "instructor@portal.local";

    readonly Process? _process;
    readonly string? _dataDirectory;
    readonly StreamWriter? _log;
    int _serverFailures;
    bool _inFailure, _closed;
    int _disposed;
    readonly List<string> _failureLines = [];

    public IReadOnlyList<LoadNode> Nodes { get; }

    /// <summary>Where the local portal's console output goes (warnings and errors only).</summary>
    public string? LogFile { get; }

    /// <summary>Lines the portal logged at "fail" or "crit" level while the test watched.</summary>
    public int ServerFailures => Volatile.Read(ref _serverFailures);

    public IReadOnlyList<string> FailureLines { get { lock (_failureLines) return _failureLines.ToList(); } }

    /// <summary>A portal (or cluster) started elsewhere; memory is read for the nodes that name a local process.</summary>
    public LoadTarget(IReadOnlyList<LoadNode> nodes) => Nodes = nodes;

    LoadTarget(LoadNode node, Process process, string dataDirectory, string logFile)
    {
        Nodes = [node];
        _process = process;
        _dataDirectory = dataDirectory;
        LogFile = logFile;
        _log = new StreamWriter(logFile) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public LoadNode NodeFor(int student) => Nodes[student % Nodes.Count];

    /// <summary>
    /// Starts the built portal binary as its own process on a free loopback port, with a fresh data folder, the demo
    /// password fixed and logging at Warning, and waits until /health answers.
    /// </summary>
    public static async Task<LoadTarget> StartLocalAsync(string logFile, TimeSpan timeout)
    {
        var bin = AppContext.BaseDirectory;
        var port = FreePort();
        var data = Path.Combine(Path.GetTempPath(), "portal-load-" + Guid.NewGuid().ToString("N")[..10]);
        string[] portal = ["dotnet", "exec", "--runtimeconfig", Path.Combine(bin, "PneumoniaPortal.Web.runtimeconfig.json"),
            "--depsfile", Path.Combine(bin, "PneumoniaPortal.Web.deps.json"), Path.Combine(bin, "PneumoniaPortal.Web.dll"),
            "--urls", $"http://127.0.0.1:{port}"];
        // The shell becomes the portal (exec keeps the process id); its watcher stops it if the test process is
        // killed before it can (a test run cut short must not leave a portal behind).
        var watcher = $"(while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 $$ 2>/dev/null; do sleep 2; done; kill $$ 2>/dev/null) & " +
                      "exec " + string.Join(" ", portal.Select(a => "'" + a.Replace("'", "'\\''") + "'"));
        var start = new ProcessStartInfo("bash", ["-c", watcher])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = bin,
        };
        // Development only so that a build (not a publish) serves blazor.web.js and MudBlazor's files from the
        // static web assets manifest; the browser circuits need them.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Portal__DataDirectory"] = data;
        start.Environment["Seed__DemoPassword"] = Password;
        start.Environment["Seed__ExampleRun"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        var process = Process.Start(start)!;
        var target = new LoadTarget(new LoadNode(new Uri($"http://127.0.0.1:{port}/"), process.Id), process, data, logFile);
        try
        {
            await target.WaitHealthyAsync(timeout);
            return target;
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        foreach (var node in Nodes)
            while (true)
            {
                if (_process is { HasExited: true })
                    throw new InvalidOperationException($"The portal exited with code {_process.ExitCode} before answering /health; see {LogFile}.");
                try
                {
                    if ((await http.GetAsync(new Uri(node.BaseAddress, "health"))).StatusCode == HttpStatusCode.OK) break;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{node.BaseAddress} did not answer /health within {timeout.TotalSeconds:0} s.");
                await Task.Delay(250);
            }
    }

    void Record(string? line)
    {
        if (line is null) return;
        lock (_failureLines)
        {
            if (_closed) return;
            _log?.WriteLine(line);
            // The console logger starts an entry with its level: "fail: ..." or "crit: ..."; the lines under it are indented.
            if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _serverFailures);
                _inFailure = true;
                if (_failureLines.Count < 400) _failureLines.Add(line);
            }
            else if (_inFailure && line.StartsWith(' '))
            {
                if (_failureLines.Count < 400) _failureLines.Add(line);
            }
            else _inFailure = false;
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (_process is not null)
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
                }
            }
            catch (InvalidOperationException) { }
            catch (TimeoutException) { }
            _process.Dispose();
        }
        lock (_failureLines)
        {
            _closed = true;
            _log?.Dispose();
        }
        if (_dataDirectory is not null)
            try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
