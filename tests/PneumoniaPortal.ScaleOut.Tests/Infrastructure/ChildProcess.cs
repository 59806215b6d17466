using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PneumoniaPortal.ScaleOut.Tests.Infrastructure;

/// <summary>
/// One service the tests started (PostgreSQL, Redis, a portal node): its process, its output in a log file and the
/// last lines of it in memory (to attach to a failure), and the ways to end it. Every child is ended when the test
/// process exits; one left behind by a test process that crashed is ended by <see cref="ScratchFolders"/> later.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    static readonly List<ChildProcess> Running = [];
    readonly Queue<string> _tail = new();
    readonly StreamWriter _log;
    readonly Process _process;

    /// <summary>Kills every child still running and waits (briefly) until they are gone; at the end of the test process.</summary>
    public static void KillAll()
    {
        List<ChildProcess> children;
        lock (Running) children = Running.ToList();
        foreach (var child in children) child.Kill();
        foreach (var child in children)
            try { child._process.WaitForExit(3_000); } catch (InvalidOperationException) { }
    }

    ChildProcess(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
        _log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public string LogPath { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="start"/> with its output appended to <paramref name="logPath"/>.</summary>
    public static ChildProcess Start(ProcessStartInfo start, string logPath)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true; // nothing reads our console: a child never waits on the test's terminal
        start.UseShellExecute = false;
        // Names the session in the child's environment (inherited by what it starts): a later sweep finds it even
        // where the command line says nothing of the session folder (redis-server rewrites its own).
        start.Environment[ScratchFolders.SessionVariable] = ScratchFolders.Session;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(process, logPath);
        child.Write($"=== starting: {start.FileName} {string.Join(' ', start.ArgumentList)}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) child.Write(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child.Write("err: " + e.Data); };
        process.Exited += (_, _) => child.Write("=== exited");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (Running) Running.Add(child);
        return child;
    }

    void Write(string line)
    {
        line = $"{DateTime.Now:HH:mm:ss.fff} {line}";
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 400) _tail.Dequeue();
            try { _log.WriteLine(line); } catch (ObjectDisposedException) { }
        }
    }

    /// <summary>The last <paramref name="lines"/> lines it wrote (stdout and stderr, in order of arrival).</summary>
    public string Tail(int lines = 40)
    {
        lock (_tail) return string.Join('\n', _tail.Skip(Math.Max(0, _tail.Count - lines)));
    }

    /// <summary>SIGKILL to the process and every process below it: a crash, as the operating system sees one.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                // The signal is asynchronous: wait, so the port and files are free for a restart.
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
        lock (Running) Running.Remove(this);
    }

    /// <summary>Sends <paramref name="signal"/> (e.g. SIGTERM) and waits for the exit; kills the tree if it takes longer.</summary>
    public async Task StopAsync(int signal, TimeSpan grace, int? pid = null)
    {
        if (!_process.HasExited) Signals.Send(pid ?? _process.Id, signal);
        using var timeout = new CancellationTokenSource(grace);
        try { await _process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { Write($"=== did not stop within {grace.TotalSeconds:0} s of signal {signal}: killed"); }
        Kill();
    }

    public Task WaitForExitAsync(CancellationToken ct) => _process.WaitForExitAsync(ct);

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_tail) _log.Dispose();
    }
}

/// <summary>POSIX signals by number, for what <see cref="Process"/> cannot send (SIGTERM, SIGINT).</summary>
public static class Signals
{
    public const int Interrupt = 2, Kill = 9, Terminate = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SysKill(int pid, int signal);

    public static bool Send(int pid, int signal) => SysKill(pid, signal) == 0;

    public static bool IsAlive(int pid) => SysKill(pid, 0) == 0;
}

/// <summary>Free TCP ports on 127.0.0.1.</summary>
public static class LoopbackPorts
{
    /// <summary>A port nothing listens on now (the OS picks it; a small race with other programs remains).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException) { return false; }
    }
}
