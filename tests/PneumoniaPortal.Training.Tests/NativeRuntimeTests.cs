using PneumoniaPortal.Training.Native;
using TorchSharp;

namespace PneumoniaPortal.Training.Tests;

public class NativeRuntimeTests
{
    [Fact]
    public void A_tensor_op_runs_after_the_runtime_is_prepared()
    {
        var report = TorchRuntime.EnsureReady();
        using var a = torch.arange(6, dtype: torch.float32).reshape(2, 3);
        using var b = a.matmul(a.t());
        Assert.Equal(new[] { 5f, 14f, 14f, 50f }, b.data<float>().ToArray());
        Assert.Equal("cpu", TorchRuntime.PickDevice("cpu").type.ToString().ToLowerInvariant());
        Assert.True(report.Threads >= 1);
    }

    [Fact]
    public void On_a_host_without_GLIBCXX_3_4_32_the_output_copy_is_patched_and_the_shim_is_loaded()
    {
        var report = TorchRuntime.EnsureReady();
        var lib = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!OperatingSystem.IsLinux() || report.HostHasGlibcxx3432)
        {
            Assert.Empty(report.PatchedLibraries);
            return;
        }
        Assert.False(ElfVersionPatcher.HasHardRequirement(File.ReadAllBytes(lib), TorchRuntime.RequiredVersion));
        Assert.True(report.ShimLoaded, "the shim built by g++ at build time should sit in the output folder");
    }

    [Fact]
    public void Patching_the_pristine_package_copy_marks_the_requirement_weak_and_is_idempotent()
    {
        var pristine = PristinePackageLibrary();
        if (pristine is null) return; // a Windows or macOS restore has no ELF to patch
        var bytes = File.ReadAllBytes(pristine);
        Assert.True(ElfVersionPatcher.HasHardRequirement(bytes, TorchRuntime.RequiredVersion));

        var first = ElfVersionPatcher.Patch(bytes, TorchRuntime.RequiredVersion, TorchRuntime.RequiredSymbol);
        Assert.True(first.RequirementMadeWeak);
        Assert.True(first.SymbolVersionCleared);
        Assert.False(ElfVersionPatcher.HasHardRequirement(bytes, TorchRuntime.RequiredVersion));
        Assert.False(ElfVersionPatcher.Patch(bytes, TorchRuntime.RequiredVersion, TorchRuntime.RequiredSymbol).Changed);
    }

    static string? PristinePackageLibrary()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"restored TorchSharp package expected at {path}");
        return path;
    }

    [Fact]
    public void A_file_that_is_not_ELF_is_refused_with_a_clear_message()
    {
        var e = Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.Patch(new byte[100], "X", "y"));
        Assert.Contains("Not an ELF", e.Message);
    }
}
