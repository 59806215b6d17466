namespace PneumoniaPortal.Core.Settings;

/// <summary>
/// Random changes applied to each training image every epoch (the seed notebooks' ImageDataGenerator set).
/// Shifts and zoom are fractions of the image size; rotation and shear are degrees; brightness and contrast are
/// maximum relative changes (0.2 = up to ±20%).
/// </summary>
public sealed record AugmentationSettings
{
    public bool Enabled { get; init; } = true;
    public double RotationDegrees { get; init; } = 10;
    public double WidthShift { get; init; } = 0.1;
    public double HeightShift { get; init; } = 0.1;
    public double ShearDegrees { get; init; } = 5;
    public double Zoom { get; init; } = 0.1;
    public bool HorizontalFlip { get; init; }
    public double Brightness { get; init; } = 0.1;
    public double Contrast { get; init; } = 0.1;

    public static AugmentationSettings None => new() { Enabled = false };

    public IReadOnlyList<string> Validate() => [.. ValidateFields().Select(p => p.Message)];

    /// <summary>The same problems as <see cref="Validate"/>, each with the property it is about (e.g. <c>RotationDegrees</c>).</summary>
    public IReadOnlyList<SettingsProblem> ValidateFields()
    {
        var p = new SettingsProblems();
        p.Range(RotationDegrees, 0, 180, "Rotation", " degrees");
        p.Range(WidthShift, 0, 0.5, "Width shift (fraction of the image width)");
        p.Range(HeightShift, 0, 0.5, "Height shift (fraction of the image height)");
        p.Range(ShearDegrees, 0, 45, "Shear", " degrees");
        p.Range(Zoom, 0, 0.5, "Zoom (fraction)");
        p.Range(Brightness, 0, 0.9, "Brightness change (fraction)");
        p.Range(Contrast, 0, 0.9, "Contrast change (fraction)");
        return p.Fields;
    }
}
