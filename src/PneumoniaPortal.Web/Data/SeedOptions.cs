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

    /// <summary>
    /// On first start, queue one run of the <c>cpu-default</c> preset for the demo student (about a minute and a half on
    /// two cores on the shipped sample), so the results, compare and activations pages have something to show before
    /// anyone waits for a run. Default true; the tests turn it off.
    /// </summary>
    public bool ExampleRun { get; set; } = true;
}
