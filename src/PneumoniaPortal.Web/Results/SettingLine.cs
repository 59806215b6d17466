namespace PneumoniaPortal.Web.Results;

/// <summary>One setting as a person reads it: "Learning rate" = "0.001".</summary>
public sealed record SettingLine(string Name, string Value);
