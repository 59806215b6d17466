using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PneumoniaPortal.ScaleOut.Tests.Infrastructure;

/// <summary>
/// A private redis-server on a free 127.0.0.1 port, as a child of the test process, with no persistence (nothing is
/// written to disk, a restart starts empty). It never touches the system's own Redis service (port 6379).
/// <see cref="StopAsync"/>/<see cref="StartAsync"/> take it away and bring it back on the same port, for fault tests.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    readonly string _folder;
    ChildProcess? _process;

    RedisServer(string folder)
    {
        _folder = folder;
        Port = LoopbackPorts.Free();
        LogPath = ScratchFolders.NewLog("redis");
    }

    public int Port { get; }
    public string LogPath { get; }
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>As ConnectionStrings:Redis takes it (StackExchange.Redis format).</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartNewAsync()
    {
        ScaleOutRequirements.Ensure();
        var server = new RedisServer(ScratchFolders.NewFolder("redis"));
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        if (IsRunning) return;
        _process?.Dispose();
        var start = new ProcessStartInfo(ScaleOutRequirements.RedisServer!,
        [
            "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--dir", _folder, "--pidfile", Path.Combine(_folder, "redis.pid"), "--logfile", "", "--protected-mode", "yes",
        ])
        { WorkingDirectory = _folder };
        _process = ChildProcess.Start(start, LogPath);
        var started = Stopwatch.StartNew();
        while (!await PingAsync())
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"redis-server exited at start ({_process.ExitCode}); its log {LogPath}:\n{_process.Tail()}");
            if (started.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException($"redis-server did not answer PING within 30 s; its log {LogPath}:\n{_process.Tail()}");
            await Task.Delay(50);
        }
    }

    /// <summary>True when the server answers PING with PONG.</summary>
    public async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port).WaitAsync(TimeSpan.FromSeconds(2));
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException) { return false; }
    }

    /// <summary>Shuts the server down (SIGTERM), or with <paramref name="crash"/> kills it.</summary>
    public async Task StopAsync(bool crash = false)
    {
        if (_process is null || _process.HasExited) return;
        if (crash) _process.Kill();
        else await _process.StopAsync(Signals.Terminate, TimeSpan.FromSeconds(10));
    }

    public string Tail(int lines = 20) => _process?.Tail(lines) ?? "";

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        ScratchFolders.Delete(_folder);
    }
}
