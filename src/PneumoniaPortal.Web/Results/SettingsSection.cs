namespace PneumoniaPortal.Web.Results;

/// <summary>One section of the set-up form (architecture, augmentation, training) with its settings.</summary>
public sealed record SettingsSection(string Title, IReadOnlyList<SettingLine> Settings);
