using System.Runtime.InteropServices;
using TorchSharp;

namespace PneumoniaPortal.Training.Native;

/// <summary>What <see cref="TorchRuntime.EnsureReady"/> found and did, for logs, `bench` and the tests.</summary>
public sealed record NativeRuntimeReport(
    string HostLibStdCxx,
    bool HostHasGlibcxx3432,
    IReadOnlyList<string> PatchedLibraries,
    bool ShimLoaded,
    string Device,
    int Threads)
{
    /// <summary>Whether this machine trains on a CUDA GPU.</summary>
    public bool HasCuda => Device == "cuda";

    /// <summary>One line for logs: what was patched, if anything, and where training runs.</summary>
    public override string ToString() =>
        $"libstdc++ {Path.GetFileName(HostLibStdCxx)}, " +
        (HostHasGlibcxx3432 ? "no patch needed" : $"patched {PatchedLibraries.Count} libraries, shim {(ShimLoaded ? "loaded" : "not loaded")}") +
        $", device {Device}, {Threads} threads";
}

/// <summary>
/// Makes TorchSharp's native library load on this host (README, "Native runtime on Debian 12") and picks the device.
/// Call <see cref="EnsureReady"/> before the first torch call; it is cheap after the first time.
/// </summary>
public static class TorchRuntime
{
    public const string RequiredVersion = "GLIBCXX_3.4.32";
    public const string RequiredSymbol = "_ZSt21ios_base_library_initv";
    const string ShimFileName = "libportal_ios_shim.so";

    static readonly Lock Gate = new();
    static NativeRuntimeReport? _report;

    public static NativeRuntimeReport EnsureReady()
    {
        lock (Gate)
        {
            return _report ??= Prepare();
        }
    }

    /// <summary>
    /// Flushes denormal floats to zero on the calling thread (and the OpenMP workers it starts), as PyTorch's
    /// <c>torch.set_flush_denormal(True)</c>: arithmetic on denormal floats is many times slower on x86 CPUs.
    /// TorchSharp does not expose it, so libtorch's own <c>at::globalContext().setFlushDenormal(true)</c> is called.
    /// </summary>
    public static unsafe bool FlushDenormalsOnThisThread()
    {
        EnsureReady();
        if (!OperatingSystem.IsLinux() || _torchCpu == IntPtr.Zero) return false;
        if (!NativeLibrary.TryGetExport(_torchCpu, "_ZN2at13globalContextEv", out var context) ||
            !NativeLibrary.TryGetExport(_torchCpu, "_ZN2at7Context16setFlushDenormalEb", out var setFlush)) return false;
        var self = ((delegate* unmanaged<IntPtr>)context)();
        return ((delegate* unmanaged<IntPtr, byte, byte>)setFlush)(self, 1) != 0;
    }

    static IntPtr _torchCpu;

    /// <summary>CUDA whenever TorchSharp sees a GPU, unless the caller asks for the CPU.</summary>
    public static torch.Device PickDevice(string preference = "auto")
    {
        EnsureReady();
        return preference.ToLowerInvariant() switch
        {
            "cpu" => torch.CPU,
            "cuda" when torch.cuda.is_available() => torch.CUDA,
            "cuda" => throw new InvalidOperationException("CUDA was asked for, but no GPU is available on this server."),
            _ => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
        };
    }

    static NativeRuntimeReport Prepare()
    {
        var patched = new List<string>();
        var shimLoaded = false;
        var hostLib = "";
        var hostOk = true;
        if (OperatingSystem.IsLinux())
        {
            hostLib = FindHostLibStdCxx() ?? "";
            hostOk = hostLib != "" && FileContains(hostLib, RequiredVersion);
            if (!hostOk)
            {
                foreach (var lib in CandidateLibraries())
                    if (PatchInPlace(lib)) patched.Add(lib);
                shimLoaded = LoadShim();
            }
        }
        var threads = Math.Max(1, Environment.ProcessorCount);
        torch.set_num_threads(threads);
        if (OperatingSystem.IsLinux())
        {
            var torchCpu = CandidateLibraries().Select(p => Path.Combine(Path.GetDirectoryName(p)!, "libtorch_cpu.so")).FirstOrDefault(File.Exists);
            if (torchCpu is not null) NativeLibrary.TryLoad(torchCpu, out _torchCpu);
        }
        var device = torch.cuda.is_available() ? "cuda" : "cpu";
        return new NativeRuntimeReport(hostLib, hostOk, patched, shimLoaded, device, threads);
    }

    static IEnumerable<string> CandidateLibraries()
    {
        var baseDir = AppContext.BaseDirectory;
        foreach (var path in new[]
                 {
                     Path.Combine(baseDir, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
                     Path.Combine(baseDir, "libLibTorchSharp.so"),
                 })
            if (File.Exists(path)) yield return path;
    }

    /// <summary>Patches one copy of libLibTorchSharp.so; atomic (temp file + rename) so a parallel start never sees half a file.</summary>
    static bool PatchInPlace(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (!ElfVersionPatcher.HasHardRequirement(bytes, RequiredVersion)) return false;
        var result = ElfVersionPatcher.Patch(bytes, RequiredVersion, RequiredSymbol);
        if (!result.Changed) return false;
        var temp = $"{path}.{Environment.ProcessId}.patching";
        try
        {
            File.WriteAllBytes(temp, bytes);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
            File.Move(temp, path, overwrite: true);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InvalidOperationException(
                $"TorchSharp's native library {path} needs a one-time patch for this host's older libstdc++ " +
                $"(it lacks {RequiredVersion}), but that folder is not writable. Start the app once as a user who can write it.", e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return true;
    }

    static bool LoadShim()
    {
        var shim = Path.Combine(AppContext.BaseDirectory, ShimFileName);
        if (!File.Exists(shim)) return false;
        const int RtldNow = 2, RtldGlobal = 0x100;
        return dlopen(shim, RtldNow | RtldGlobal) != IntPtr.Zero;
    }

    /// <summary>The libstdc++ this process already has mapped (the .NET host links it), else the usual system paths.</summary>
    static string? FindHostLibStdCxx()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var at = line.IndexOf('/');
                if (at >= 0 && line.Contains("libstdc++.so", StringComparison.Ordinal)) return line[at..].Trim();
            }
        }
        catch (IOException) { }
        return new[]
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        }.FirstOrDefault(File.Exists);
    }

    internal static bool FileContains(string path, string text)
    {
        var needle = System.Text.Encoding.ASCII.GetBytes(text);
        return File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0;
    }

    [DllImport("libc", EntryPoint = "dlopen")]
    static extern IntPtr dlopen(string fileName, int flags);
}
