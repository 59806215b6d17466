using static TorchSharp.torch;

namespace PneumoniaPortal.Training.Models;

/// <summary>One row of a Keras-style <c>model.summary()</c>.</summary>
public sealed record LayerRow(string Name, string Type, long[] OutputShape, long Parameters);

public sealed record ModelSummary(IReadOnlyList<LayerRow> Layers, long TotalParameters, long TrainableParameters)
{
    public string ToText()
    {
        var lines = new List<string>
        {
            $"{"Layer",-28}{"Type",-20}{"Output shape",-22}{"Params",12}",
            new string('-', 82),
        };
        lines.AddRange(Layers.Select(l =>
            $"{l.Name,-28}{l.Type,-20}{"(" + string.Join(", ", l.OutputShape) + ")",-22}{l.Parameters,12:N0}"));
        lines.Add(new string('-', 82));
        lines.Add($"Total params: {TotalParameters:N0}   Trainable: {TrainableParameters:N0}");
        return string.Join(Environment.NewLine, lines);
    }
}

public static class LayerSummarizer
{
    /// <summary>
    /// Builds the network of <paramref name="spec"/> on the CPU, summarises it and lets it go. A network libtorch cannot
    /// build is an <see cref="ArgumentException"/> saying why.
    /// </summary>
    public static ModelSummary Summarize(Core.Settings.ArchitectureSpec spec)
    {
        Native.TorchRuntime.EnsureReady();
        try
        {
            using var net = new PneumoniaNet(spec);
            return Summarize(net);
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    /// <summary>Runs one blank image through the net layer by layer (on the CPU, no gradients) and records each output shape.</summary>
    public static ModelSummary Summarize(PneumoniaNet net)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var wasTraining = net.training;
        net.eval();
        var rows = new List<LayerRow>();
        var x = net.ToModelChannels(zeros(1, 1, net.Spec.InputSize, net.Spec.InputSize));
        rows.Add(new LayerRow("input", "Input", x.shape[1..], 0));
        foreach (var (stage, module) in net.FeatureStages)
            foreach (var (name, child) in Children(stage, module))
            {
                x = child.call(x);
                rows.Add(new LayerRow(name, child.GetName(), x.shape[1..], Count(child)));
            }
        foreach (var (name, child) in Children("head", net.Head))
        {
            x = child.call(x);
            rows.Add(new LayerRow(name, child.GetName(), x.shape[1..], Count(child)));
        }
        if (wasTraining) net.train();
        var total = net.parameters().Sum(p => p.numel());
        var trainable = net.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
        return new ModelSummary(rows, total, trainable);
    }

    static IEnumerable<(string, nn.Module<Tensor, Tensor>)> Children(string prefix, nn.Module<Tensor, Tensor> module)
    {
        var children = module.named_children().ToList();
        if (module is not TorchSharp.Modules.Sequential || children.Count == 0)
        {
            yield return (prefix, module);
            yield break;
        }
        foreach (var (name, child) in children)
            yield return ($"{prefix}.{name}", (nn.Module<Tensor, Tensor>)child);
    }

    static long Count(nn.Module m) => m.parameters().Sum(p => p.numel());
}
