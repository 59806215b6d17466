namespace PneumoniaPortal.Web.Tests.Host;

/// <summary>The layers stay apart: only the Training project speaks to TorchSharp (docs/architecture.md).</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void The_web_project_never_calls_torchsharp_itself()
    {
        var references = typeof(Program).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("PneumoniaPortal.Training", references);
        Assert.DoesNotContain(references, name => name?.StartsWith("TorchSharp", StringComparison.Ordinal) == true);
    }
}
