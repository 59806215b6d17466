namespace PneumoniaPortal.Core.Metrics;

/// <summary>
/// A second read with a model's help (issue 17): over the images a reader answered twice, how often they moved to the
/// model's call where they had disagreed with it, split by whether the model was right (a good change) or wrong
/// (automation bias), and their accuracy blind and helped. All values are 1 for PNEUMONIA and 0 for NORMAL.
/// </summary>
public sealed record AutomationBias(int Images, int DisagreedModelRight, int SwitchedModelRight, int DisagreedModelWrong, int SwitchedModelWrong,
    int RightBlind, int RightHelped)
{
    /// <summary>Of the images where the reader disagreed with a right model, the share they switched to it; null when none.</summary>
    public double? SwitchRateModelRight => DisagreedModelRight == 0 ? null : (double)SwitchedModelRight / DisagreedModelRight;
    /// <summary>Of the images where the reader disagreed with a wrong model (so they were right), the share they switched to it: automation bias.</summary>
    public double? SwitchRateModelWrong => DisagreedModelWrong == 0 ? null : (double)SwitchedModelWrong / DisagreedModelWrong;
    public double? AccuracyBlind => Images == 0 ? null : (double)RightBlind / Images;
    public double? AccuracyHelped => Images == 0 ? null : (double)RightHelped / Images;

    public static AutomationBias Of(IReadOnlyList<int> reference, IReadOnlyList<int> model, IReadOnlyList<int> blind, IReadOnlyList<int> helped)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(blind);
        ArgumentNullException.ThrowIfNull(helped);
        var n = reference.Count;
        if (model.Count != n || blind.Count != n || helped.Count != n)
            throw new ArgumentException($"One value per image in each list: {n} labels, {model.Count} model calls, {blind.Count} blind and {helped.Count} helped answers.");
        if (reference.Concat(model).Concat(blind).Concat(helped).Any(v => v is not (0 or 1)))
            throw new ArgumentException("Labels, calls and answers are 0 (NORMAL) or 1 (PNEUMONIA).");
        int disagreedRight = 0, switchedRight = 0, disagreedWrong = 0, switchedWrong = 0, rightBlind = 0, rightHelped = 0;
        for (var i = 0; i < n; i++)
        {
            if (blind[i] == reference[i]) rightBlind++;
            if (helped[i] == reference[i]) rightHelped++;
            if (blind[i] == model[i]) continue;
            var switched = helped[i] == model[i];
            if (model[i] == reference[i])
            {
                disagreedRight++;
                if (switched) switchedRight++;
            }
            else
            {
                disagreedWrong++;
                if (switched) switchedWrong++;
            }
        }
        return new AutomationBias(n, disagreedRight, switchedRight, disagreedWrong, switchedWrong, rightBlind, rightHelped);
    }

    /// <summary>The class as one: the counts of every reader added up.</summary>
    public static AutomationBias Sum(IEnumerable<AutomationBias> readers) =>
        readers.Aggregate(new AutomationBias(0, 0, 0, 0, 0, 0, 0), (a, b) => new AutomationBias(a.Images + b.Images,
            a.DisagreedModelRight + b.DisagreedModelRight, a.SwitchedModelRight + b.SwitchedModelRight,
            a.DisagreedModelWrong + b.DisagreedModelWrong, a.SwitchedModelWrong + b.SwitchedModelWrong,
            a.RightBlind + b.RightBlind, a.RightHelped + b.RightHelped));
}
