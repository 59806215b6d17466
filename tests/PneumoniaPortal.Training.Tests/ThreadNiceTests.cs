using PneumoniaPortal.Training.Native;
using TorchSharp;

namespace PneumoniaPortal.Training.Tests;

public class ThreadNiceTests
{
    [Fact]
    public void Lowering_a_threads_priority_leaves_the_other_threads_alone()
    {
        if (!OperatingSystem.IsLinux()) return;
        var before = ThreadNice.Current();
        int? inside = null;
        var set = false;
        var thread = new Thread(() =>
        {
            set = ThreadNice.TrySet(7);
            inside = ThreadNice.Current();
        });
        thread.Start();
        thread.Join();

        Assert.True(set);
        Assert.Equal(7, inside);
        Assert.Equal(before, ThreadNice.Current());
    }

    [Fact]
    public void The_threads_Torch_starts_for_a_lowered_thread_run_at_its_priority()
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessorCount < 2) return;
        TorchRuntime.EnsureReady();
        const int nice = 13;
        var niceBefore = ThreadsAt(nice);
        List<int> niceDuring = [];
        var thread = new Thread(() =>
        {
            ThreadNice.TrySet(nice);
            torch.set_num_threads(2);
            using (torch.NewDisposeScope())
            {
                // Big enough for Torch to split it over its worker threads, which it starts from this thread.
                var a = torch.rand(512, 512);
                for (var i = 0; i < 5; i++) a.matmul(a).sum().item<float>();
            }
            niceDuring = ThreadsAt(nice);
        });
        thread.Start();
        thread.Join();

        var started = niceDuring.Except(niceBefore).ToList();
        Assert.True(started.Count >= 2, $"expected the training thread and a Torch worker at nice {nice}, found threads {string.Join(", ", started)}");
    }

    [Fact]
    public void A_lowered_thread_computes_at_its_priority_and_its_reports_run_on_the_callers_thread()
    {
        if (!OperatingSystem.IsLinux()) return;
        const int nice = 11;
        var caller = Environment.CurrentManagedThreadId;
        var callerNice = ThreadNice.Current();
        List<(int Thread, int? Nice, int Value)> reports = [];
        int? workNice = null, startedNice = null;
        string? workName = null;
        using var lowered = new LoweredThread();
        var progress = lowered.Relay<int>(v =>
        {
            reports.Add((Environment.CurrentManagedThreadId, ThreadNice.Current(), v));
            // What a report does may reach the thread pool (SignalR, EF, async code): here enough blocking work at once,
            // with the pool allowed to grow at once, that it starts threads from this thread. Started from the lowered
            // thread they would inherit its priority.
            ThreadPool.GetMinThreads(out var workers, out var io);
            var burst = ThreadPool.ThreadCount + 4;
            ThreadPool.SetMinThreads(workers + burst, io);
            try { Task.WaitAll([.. Enumerable.Range(0, burst).Select(_ => Task.Run(() => Thread.Sleep(300)))]); }
            finally { ThreadPool.SetMinThreads(workers, io); }
        });

        var result = lowered.Run("Lowered test", nice, () =>
        {
            workNice = ThreadNice.Current();
            workName = Thread.CurrentThread.Name;
            // A plain thread started from the lowered one inherits its priority: the image cache's decoders do.
            var started = new Thread(() => startedNice = ThreadNice.Current());
            started.Start();
            started.Join();
            for (var i = 1; i <= 3; i++) progress.Report(i);
            return 42;
        });

        Assert.Equal(42, result);
        Assert.True(lowered.Lowered);
        Assert.Equal("Lowered test", workName);
        Assert.Equal(nice, workNice);
        Assert.Equal(nice, startedNice);
        Assert.Equal([1, 2, 3], reports.Select(r => r.Value));
        Assert.All(reports, r => Assert.Equal((caller, callerNice), (r.Thread, r.Nice)));
        Assert.Equal(callerNice, ThreadNice.Current());
        var pool = PoolThreadsAt(nice);
        Assert.True(pool.Count == 0, $"thread-pool threads at nice {nice}: {string.Join(", ", pool)}");
    }

    [Fact]
    public void An_exception_in_a_report_reaches_the_work_and_then_the_caller()
    {
        using var lowered = new LoweredThread();
        var progress = lowered.Relay<int>(_ => throw new InvalidDataException("the database refused the epoch"));
        var seenByWork = false;
        var thrown = Assert.Throws<InvalidDataException>(() => lowered.Run("Lowered test", 5, () =>
        {
            try { progress.Report(1); }
            catch (InvalidDataException) { seenByWork = true; throw; }
            return 0;
        }));
        Assert.True(seenByWork);
        Assert.Equal("the database refused the epoch", thrown.Message);
        // One piece of work per LoweredThread; a second would find its reports' inbox closed.
        Assert.Throws<InvalidOperationException>(() => lowered.Run("again", 5, () => 0));
    }

    /// <summary>Thread-pool threads of this process (by their names) whose nice value is <paramref name="nice"/>.</summary>
    static List<string> PoolThreadsAt(int nice) =>
        [.. ThreadsAt(nice).Select(id => TryRead($"/proc/self/task/{id}/comm")?.Trim() ?? "").Where(name => name.StartsWith(".NET TP"))];

    /// <summary>Thread ids of this process whose nice value is <paramref name="nice"/>.</summary>
    static List<int> ThreadsAt(int nice) =>
        Directory.GetDirectories("/proc/self/task")
            .Select(d => (Id: int.Parse(Path.GetFileName(d)), Stat: TryRead(Path.Combine(d, "stat"))))
            .Where(t => t.Stat is not null && int.Parse(t.Stat[(t.Stat.LastIndexOf(')') + 2)..].Split(' ')[16]) == nice)
            .Select(t => t.Id).ToList();

    static string? TryRead(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return null; } // the thread ended meanwhile
    }
}
