using System.Diagnostics;
using Npgsql;

namespace PneumoniaPortal.ScaleOut.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster of the machine's own PostgreSQL binaries, on a free 127.0.0.1 port, as a child of
/// the test process: trust authentication for user <c>postgres</c>, no fsync (tests do not survive power cuts), the
/// Unix socket inside its own folder. <see cref="CreateDatabaseAsync"/> gives each test an empty database.
/// <see cref="StopAsync"/> and <see cref="StartAsync"/> take the server away and bring it back on the same port with
/// the same data, for fault tests. As root it runs as the <c>postgres</c> user (initdb refuses root).
/// <para>One server per test process is enough: <see cref="SharedAsync"/>.</para>
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    static readonly SemaphoreSlim SharedLock = new(1, 1);
    static PostgresServer? _shared;

    readonly string _bin;
    readonly string _folder;
    readonly string _dataDirectory;
    ChildProcess? _process;

    PostgresServer(string bin, string folder)
    {
        _bin = bin;
        _folder = folder;
        _dataDirectory = Path.Combine(folder, "data");
        Port = LoopbackPorts.Free();
        LogPath = ScratchFolders.NewLog("postgres");
    }

    public int Port { get; }
    public string LogPath { get; }
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Connection string to the server's maintenance database, without pooling (it outlives restarts).</summary>
    public string AdminConnectionString => ConnectionString("postgres", pooling: false);

    /// <summary>The test process's one PostgreSQL server, started on first use (and again if a fault test left it stopped).</summary>
    public static async Task<PostgresServer> SharedAsync()
    {
        await SharedLock.WaitAsync();
        try
        {
            _shared ??= await CreateAsync();
            if (!_shared.IsRunning) await _shared.StartAsync();
            return _shared;
        }
        finally { SharedLock.Release(); }
    }

    /// <summary>Stops and forgets the shared server (the next <see cref="SharedAsync"/> makes a new one): at the end of the tests.</summary>
    public static async Task DisposeSharedAsync()
    {
        await SharedLock.WaitAsync();
        try
        {
            if (_shared is not null) await _shared.DisposeAsync();
            _shared = null;
        }
        finally { SharedLock.Release(); }
    }

    /// <summary>A new cluster (initdb), started.</summary>
    public static async Task<PostgresServer> CreateAsync()
    {
        ScaleOutRequirements.Ensure();
        var server = new PostgresServer(ScaleOutRequirements.PostgresBin!, ScratchFolders.NewFolder("postgres"));
        await server.InitAsync();
        await server.StartAsync();
        return server;
    }

    public string ConnectionString(string database, bool pooling = true) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = pooling,
    }.ConnectionString;

    /// <summary>A new, empty database; its connection string (Npgsql format, as ConnectionStrings:Portal takes it).</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "portal")
    {
        var name = $"{prefix}_{Guid.NewGuid().ToString("N")[..10]}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing its connections.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        if (!IsRunning) return;
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    async Task InitAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        if (AsRoot) await RunAsync("chown", ["-R", "postgres:postgres", _folder]);
        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", _dataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"], asPostgres: true);
    }

    /// <summary>Starts the server (again) on <see cref="Port"/> and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (IsRunning) return;
        _process?.Dispose();
        var started = Stopwatch.StartNew();
        _process = ChildProcess.Start(Command(Path.Combine(_bin, "postgres"),
        [
            "-D", _dataDirectory, "-p", Port.ToString(), "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={_folder}",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300",
            "-c", "shared_buffers=64MB",
        ], asPostgres: true), LogPath);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"PostgreSQL exited at start ({_process.ExitCode}); its log {LogPath}:\n{_process.Tail()}");
            if (started.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"PostgreSQL did not accept connections within 60 s; its log {LogPath}:\n{_process.Tail()}");
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) { await Task.Delay(100); } // refused, or "the database system is starting up"
        }
    }

    /// <summary>
    /// Takes the server away as an outage would: a fast shutdown (SIGINT to the postmaster: open connections are
    /// ended, new ones refused), or with <paramref name="crash"/> a SIGKILL.
    /// </summary>
    public async Task StopAsync(bool crash = false)
    {
        if (_process is null || _process.HasExited) return;
        if (crash) { _process.Kill(); return; }
        await _process.StopAsync(Signals.Interrupt, TimeSpan.FromSeconds(30), PostmasterPid() ?? _process.Id);
    }

    /// <summary>The postmaster's pid from its pid file (under runuser the child we started is runuser itself).</summary>
    int? PostmasterPid()
    {
        try { return int.Parse(File.ReadLines(Path.Combine(_dataDirectory, "postmaster.pid")).First()); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return null; }
    }

    /// <summary>The last lines of the server's log.</summary>
    public string Tail(int lines = 30) => _process?.Tail(lines) ?? "";

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await StopAsync();
        _process?.Dispose();
        ScratchFolders.Delete(_folder);
    }

    static bool AsRoot => Environment.UserName == "root";

    static ProcessStartInfo Command(string file, string[] args, bool asPostgres)
    {
        var start = asPostgres && AsRoot
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. args])
            : new ProcessStartInfo(file, args);
        start.WorkingDirectory = Path.GetTempPath();
        start.Environment["LC_ALL"] = "C";
        return start;
    }

    async Task RunAsync(string file, string[] args, bool asPostgres = false)
    {
        using var process = ChildProcess.Start(Command(file, args, asPostgres), LogPath);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}):\n{process.Tail()}");
    }
}
