namespace PneumoniaPortal.Web.Data;

/// <summary>Configuration section "Seed": the demo accounts made on first start.</summary>
public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>
    /// Fixes the demo accounts' password on first start (scripts, tests); otherwise each gets a random one. Checked
    /// against the password rules when the accounts are made, so a value left set on an existing portal does no harm.
    /// </summary>
    public string? DemoPassword { get; set; }
}
