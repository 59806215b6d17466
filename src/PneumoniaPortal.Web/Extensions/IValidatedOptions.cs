namespace PneumoniaPortal.Web;

/// <summary>Options that say what is wrong with them in sentences a person starting the portal can act on.</summary>
public interface IValidatedOptions
{
    /// <summary>Each wrong value, as a sentence naming the setting, its value and what it may be; empty when all are right.</summary>
    IEnumerable<string> Validate();
}
