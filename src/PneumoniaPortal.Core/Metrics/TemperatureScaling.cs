namespace PneumoniaPortal.Core.Metrics;

/// <summary>
/// Temperature scaling (Guo et al., "On Calibration of Modern Neural Networks", ICML 2017): one number T that divides
/// the model's logit, fitted on the validation split by minimising the log loss there (never on test). T &gt; 1 softens
/// an over-confident model, T &lt; 1 sharpens an under-confident one; the ranking, and so the AUC, does not change.
/// </summary>
public sealed record TemperatureScaling(double Temperature, double LogLossBefore, double LogLossAfter)
{
    const double MinT = 0.05, MaxT = 20, Epsilon = 1e-7;

    public static TemperatureScaling Fit(IReadOnlyList<int> labels, IReadOnlyList<float> probabilities)
    {
        PredictionInput.Validate(labels, probabilities);
        if (labels.Count == 0) throw new ArgumentException("Temperature scaling needs validation images.", nameof(labels));
        var logits = probabilities.Select(p => Logit(p)).ToArray();
        double Loss(double t)
        {
            double sum = 0;
            for (int i = 0; i < logits.Length; i++)
            {
                double p = Math.Clamp(Sigmoid(logits[i] / t), Epsilon, 1 - Epsilon);
                sum -= labels[i] == 1 ? Math.Log(p) : Math.Log(1 - p);
            }
            return sum / logits.Length;
        }
        // The loss is smooth in log T with one minimum: a golden-section search on log T to 1e-6.
        double lo = Math.Log(MinT), hi = Math.Log(MaxT), ratio = (Math.Sqrt(5) - 1) / 2;
        double a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo), fa = Loss(Math.Exp(a)), fb = Loss(Math.Exp(b));
        while (hi - lo > 1e-6)
        {
            if (fa < fb) { hi = b; b = a; fb = fa; a = hi - ratio * (hi - lo); fa = Loss(Math.Exp(a)); }
            else { lo = a; a = b; fa = fb; b = lo + ratio * (hi - lo); fb = Loss(Math.Exp(b)); }
        }
        double best = Math.Exp((lo + hi) / 2);
        return new TemperatureScaling(best, Loss(1), Loss(best));
    }

    /// <summary>The probabilities with the fitted temperature applied.</summary>
    public float[] Apply(IReadOnlyList<float> probabilities) =>
        probabilities.Select(p => (float)Sigmoid(Logit(p) / Temperature)).ToArray();

    static double Logit(double p)
    {
        p = Math.Clamp(p, Epsilon, 1 - Epsilon);
        return Math.Log(p / (1 - p));
    }

    static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
