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
