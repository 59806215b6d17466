using System.Text;
using Npgsql;

namespace PneumoniaPortal.ScaleOut.Tests.Infrastructure;

/// <summary>
/// A scaled-out portal on loopback, as issue 7 describes it: one PostgreSQL database (portal data and the Hangfire
/// queue), one Redis (SignalR backplane), one shared data folder (run folders, data sets, data-protection keys), and
/// any number of web and worker nodes, each on its own port with its own cache folder.
/// <code>
/// await using var cluster = await PortalCluster.StartAsync();
/// var (a, b, w) = (await cluster.StartNodeAsync("A", PortalRole.Web), await cluster.StartNodeAsync("B", PortalRole.Web),
///                  await cluster.StartNodeAsync("W1", PortalRole.Worker));
/// using var student = await a.SignInAsync(PortalCluster.Student);
/// </code>
/// Disposing kills every node, drops the database and stops Redis. <see cref="Logs"/> gives the tail of every node's
/// log for failure messages.
/// </summary>
public sealed class PortalCluster : IAsyncDisposable
{
    public const string Password = "Test-pass-2026";
    public const string Student = "student@portal.local", Instructor = "instructor@portal.local", Admin = "admin@portal.local";

    readonly List<PortalProcess> _nodes = [];
    readonly Dictionary<string, string> _settings;

    PortalCluster(PostgresServer postgres, RedisServer redis, string database, string dataDirectory, IReadOnlyDictionary<string, string>? settings)
    {
        Postgres = postgres;
        Redis = redis;
        DatabaseConnectionString = database;
        DataDirectory = dataDirectory;
        _settings = new()
        {
            ["Portal:Database"] = "postgres",
            ["ConnectionStrings:Portal"] = database,
            ["Training:Storage"] = "postgres",
            ["ConnectionStrings:Hangfire"] = database,
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Portal:DataDirectory"] = dataDirectory,
            ["Seed:DemoPassword"] = Password,
            ["Seed:ExampleRun"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) _settings[key] = value;
    }

    public PostgresServer Postgres { get; }
    public RedisServer Redis { get; }
    public string DatabaseConnectionString { get; }
    public string DataDirectory { get; }
    public IReadOnlyList<PortalProcess> Nodes => _nodes;

    /// <summary>The settings every node gets (before its own), e.g. <c>Training:LostAfterSeconds</c>.</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;

    /// <summary>
    /// A new database on the test process's PostgreSQL (<see cref="PostgresServer.SharedAsync"/>), a Redis of its own,
    /// an empty shared data folder; no nodes yet. <paramref name="settings"/> go to every node.
    /// </summary>
    public static async Task<PortalCluster> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var postgres = await PostgresServer.SharedAsync();
        var database = await postgres.CreateDatabaseAsync();
        var redis = await RedisServer.StartNewAsync();
        return new PortalCluster(postgres, redis, database, ScratchFolders.NewFolder("shared-data"), settings);
    }

    /// <summary>A node with the cluster's settings, its own cache folder and <paramref name="settings"/>; not started.</summary>
    public PortalProcess AddNode(string name, PortalRole role, IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>(_settings)
        {
            ["Portal:Role"] = role.ToString().ToLowerInvariant(),
            ["Portal:CacheDirectory"] = ScratchFolders.NewFolder($"cache-{name}"),
            // The option the portal had before roles; a web node must not take training jobs either way.
            ["Training:Worker"] = role == PortalRole.Web ? "false" : "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) all[key] = value;
        var node = new PortalProcess(name, role, all);
        lock (_nodes) _nodes.Add(node);
        return node;
    }

    /// <summary>Adds a node and waits until it is ready.</summary>
    public async Task<PortalProcess> StartNodeAsync(string name, PortalRole role, IReadOnlyDictionary<string, string>? settings = null)
    {
        var node = AddNode(name, role, settings);
        await node.StartAsync();
        return node;
    }

    /// <summary>Starts several nodes at once (each migrates the database at start: they must not trip over each other).</summary>
    public async Task<PortalProcess[]> StartNodesAsync(params (string Name, PortalRole Role)[] nodes)
    {
        var added = nodes.Select(n => AddNode(n.Name, n.Role)).ToArray();
        await Task.WhenAll(added.Select(n => n.StartAsync()));
        return added;
    }

    /// <summary>Runs one SQL query on the cluster's database directly (no pooling: it works across PostgreSQL restarts).</summary>
    public async Task<T> QueryAsync<T>(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T));
    }

    /// <summary>The last lines of every node's log (and PostgreSQL's and Redis's), for a failure message.</summary>
    public string Logs(int lines = 40)
    {
        var text = new StringBuilder();
        foreach (var node in _nodes) text.AppendLine(node.Tail(lines));
        text.AppendLine($"--- postgres (log {Postgres.LogPath}) ---").AppendLine(Postgres.Tail(10));
        text.AppendLine($"--- redis (log {Redis.LogPath}) ---").AppendLine(Redis.Tail(5));
        return text.ToString();
    }

    /// <summary>Runs the test's steps; when they fail, fails with the same message plus every node's log tail.</summary>
    public async Task ExplainFailuresAsync(Func<Task> steps, ITestOutputHelper? output = null)
    {
        try { await steps(); }
        catch (Exception e)
        {
            var logs = Logs();
            output?.WriteLine(logs);
            throw new ClusterTestException($"{e.GetType().Name}: {e.Message}\n\nLogs of the cluster at the failure:\n{logs}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) node.Kill();
        foreach (var node in _nodes) await node.DisposeAsync();
        await Redis.DisposeAsync();
        try
        {
            if (!Postgres.IsRunning) await Postgres.StartAsync();
            await Postgres.DropDatabaseAsync(DatabaseConnectionString);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException) { }
        ScratchFolders.Delete(DataDirectory);
        foreach (var node in _nodes) ScratchFolders.Delete(node.Settings["Portal:CacheDirectory"]);
    }
}

/// <summary>A failed step of a cluster test, with the nodes' logs in its message.</summary>
public sealed class ClusterTestException(string message, Exception inner) : Exception(message, inner);
