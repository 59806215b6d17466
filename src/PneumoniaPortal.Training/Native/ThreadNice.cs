using System.Runtime.InteropServices;

namespace PneumoniaPortal.Training.Native;

/// <summary>
/// The Linux nice value of the calling thread. Training lowers its own thread's priority so that, on a machine that
/// also serves pages, the pages win the cores: the OpenMP threads Torch starts from that thread inherit the value.
/// .NET's Thread.Priority cannot do this: on Linux it leaves normal threads' scheduling as it is. Elsewhere this does nothing.
/// </summary>
public static partial class ThreadNice
{
    public const int Lowest = 19;

    /// <summary>Sets the calling thread's nice value (0 to 19, higher yields more); false where the system refused or is not Linux.</summary>
    public static bool TrySet(int nice)
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (nice is < 0 or > Lowest) throw new ArgumentOutOfRangeException(nameof(nice), nice, $"A nice value is between 0 and {Lowest}.");
        // On Linux the nice value belongs to the thread, named by its thread id (setpriority's "process" is a task).
        return setpriority(PrioProcess, gettid(), nice) == 0;
    }

    /// <summary>The calling thread's nice value, or null where it cannot be read.</summary>
    public static int? Current()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            // /proc/thread-self/stat: field 19 is the nice value; the command name (field 2) may hold spaces, so count after its ')'.
            var stat = File.ReadAllText("/proc/thread-self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { return null; }
    }

    const int PrioProcess = 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, int who, int prio);

    [LibraryImport("libc")]
    private static partial int gettid();
}
