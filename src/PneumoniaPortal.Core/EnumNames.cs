namespace PneumoniaPortal.Core;

/// <summary>
/// Enum values as people and scripts write them: one defined name (any case), nothing else. <c>Enum.TryParse</c>
/// also takes "7" (a value no name has) and "Auc, F1" (two names OR-ed into a third), which would let a request
/// store a label or metric that does not exist.
/// </summary>
public static class EnumNames
{
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        var name = text?.Trim();
        foreach (var candidate in Enum.GetNames<T>())
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                value = Enum.Parse<T>(candidate);
                return true;
            }
        value = default;
        return false;
    }

    /// <summary>The names to use, for messages: "Normal, Pneumonia".</summary>
    public static string Allowed<T>() where T : struct, Enum => string.Join(", ", Enum.GetNames<T>());

    /// <summary>Says what was wrong and what to write instead.</summary>
    public static string Problem<T>(string? text, string what) where T : struct, Enum =>
        $"{what} '{text}' is not one of {Allowed<T>()}.";

    /// <summary>Whether a value (read by code that did not check it) is one of the named ones.</summary>
    public static bool IsNamed<T>(T value) where T : struct, Enum => Enum.IsDefined(value);
}
