using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace PneumoniaPortal.Tests.Shared;

/// <summary>
/// Test processes on one machine take turns through one lock file: each holds it shared while it runs, and a test
/// that measures the whole machine (the load test) waits to hold it alone. `dotnet test` on the solution runs
/// test projects side by side; on two cores a load test beside a browser test measures the browser test.
/// On Unix, .NET locks a file opened with FileShare.None exclusively and one opened with sharing shared (flock).
/// </summary>
public static partial class MachineTurn
{
    static readonly string LockFile = Path.Combine(Path.GetTempPath(), "pneumonia-portal-tests.turn");
    static readonly Lock Gate = new();
    static FileStream? _shared;

#pragma warning disable CA2255 // a test assembly's start is exactly when its process should join the turns
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void JoinAtStart()
    {
        lock (Gate)
        {
            if (_shared is not null) return;
            BeforeJoining();
            _shared = Take(LockFile, share: true, TimeSpan.FromMinutes(30), out _);
        }
    }

    /// <summary>What a test project waits for before it joins the turns (the browser projects: each other).</summary>
    static partial void BeforeJoining();

    /// <summary>
    /// Waits until no other test process runs (at most <paramref name="patience"/>; then it goes on beside them and
    /// says so), and keeps the others from starting until the returned turn is disposed.
    /// </summary>
    public static AloneTurn Alone(TimeSpan patience)
    {
        lock (Gate)
        {
            _shared?.Dispose();
            _shared = null;
        }
        var exclusive = Take(LockFile, share: false, patience, out var waited);
        return new AloneTurn(exclusive, waited);
    }

    public sealed class AloneTurn(FileStream? exclusive, TimeSpan waited) : IDisposable
    {
        /// <summary>False when other test processes still ran after the patience was spent.</summary>
        public bool IsAlone => exclusive is not null;

        public TimeSpan Waited => waited;

        public void Dispose()
        {
            exclusive?.Dispose();
            JoinAtStart();
        }
    }

    /// <summary>Holds <paramref name="file"/> shared or alone, waiting at most <paramref name="patience"/>; null when it could not.</summary>
    public static FileStream? Take(string file, bool share, TimeSpan patience, out TimeSpan waited)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (!File.Exists(file)) File.WriteAllText(file, "PneumoniaPortal test processes take turns on this file.\n");
                var stream = new FileStream(file, FileMode.Open, FileAccess.Read, share ? FileShare.ReadWrite : FileShare.None);
                waited = clock.Elapsed;
                return stream;
            }
            catch (IOException) when (clock.Elapsed < patience)
            {
                Thread.Sleep(500);
            }
            catch (IOException)
            {
                waited = clock.Elapsed;
                return null;
            }
        }
    }
}
