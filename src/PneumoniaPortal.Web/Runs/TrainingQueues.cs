namespace PneumoniaPortal.Web.Runs;

/// <summary>Hangfire queues: "gpu" workers have CUDA; "cpu" workers train on the processor.</summary>
public static class TrainingQueues
{
    public const string Gpu = "gpu", Cpu = "cpu";

    /// <summary>Where "auto" runs go: the GPU queue when this node has CUDA, else the CPU queue.</summary>
    public static string Local { get; internal set; } = Cpu;
}
