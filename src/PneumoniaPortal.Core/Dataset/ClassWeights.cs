namespace PneumoniaPortal.Core.Dataset;

/// <summary>Loss weights that make each class count as much as the other, whatever their image counts.</summary>
public static class ClassWeights
{
    /// <summary>
    /// scikit-learn's <c>class_weight='balanced'</c>: <c>n / (2 * count)</c> per class, so the rarer class weighs more
    /// (train 1341 NORMAL / 3875 PNEUMONIA gives about 1.94 / 0.67).
    /// </summary>
    public static (double Normal, double Pneumonia) Balanced(int normalCount, int pneumoniaCount)
    {
        if (normalCount < 0 || pneumoniaCount < 0)
            throw new ArgumentOutOfRangeException(nameof(normalCount),
                $"Image counts cannot be negative; got {normalCount} NORMAL and {pneumoniaCount} PNEUMONIA.");
        if (normalCount == 0 || pneumoniaCount == 0)
            throw new ArgumentException(
                $"Balanced class weights need at least one image of each class; got {normalCount} NORMAL and {pneumoniaCount} PNEUMONIA.");
        double total = (double)normalCount + pneumoniaCount;
        return (total / (2.0 * normalCount), total / (2.0 * pneumoniaCount));
    }
}
