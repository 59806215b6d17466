namespace PneumoniaPortal.Web.Security;

/// <summary>
/// Configuration section "RateLimits": how often one person (or one network address) may do the things that cost the
/// server work or could be used to guess secrets. A whole class often shares one address (the school's NAT), so the
/// per-address limits are <see cref="AddressFactor"/> times the per-person ones, and sign-ins count only failures.
/// </summary>
public sealed class RateLimitOptions : IValidatedOptions
{
    public const string Section = "RateLimits";

    /// <summary>Failed sign-ins from one address per 10 minutes (each account also locks after 5 in a row).</summary>
    public int SignInFailuresPerAddress { get; set; } = 60;
    /// <summary>Registrations tried from one address per hour.</summary>
    public int RegistrationsPerAddress { get; set; } = 300;
    /// <summary>Password-reset emails asked for from one address per hour (the "forgot your password" form).</summary>
    public int ResetEmailsPerAddress { get; set; } = 30;
    /// <summary>Password-reset emails one account may be sent per hour, however many people ask.</summary>
    public int ResetEmailsPerAccount { get; set; } = 3;
    /// <summary>Join codes one person may try per 10 minutes.</summary>
    public int JoinAttemptsPerUser { get; set; } = 10;
    /// <summary>Runs one person may start per hour (besides the limit on runs queued at once).</summary>
    public int RunStartsPerUser { get; set; } = 30;
    /// <summary>Uploaded images one person may have predicted per minute.</summary>
    public int PredictionsPerUser { get; set; } = 30;
    /// <summary>Signed-in actions from one address may happen this many times as often as one person's.</summary>
    public int AddressFactor { get; set; } = 20;

    public IEnumerable<string> Validate()
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(SignInFailuresPerAddress), SignInFailuresPerAddress), (nameof(RegistrationsPerAddress), RegistrationsPerAddress), (nameof(ResetEmailsPerAddress), ResetEmailsPerAddress), (nameof(ResetEmailsPerAccount), ResetEmailsPerAccount),
                     (nameof(JoinAttemptsPerUser), JoinAttemptsPerUser), (nameof(RunStartsPerUser), RunStartsPerUser),
                     (nameof(PredictionsPerUser), PredictionsPerUser), (nameof(AddressFactor), AddressFactor),
                 })
            if (value is < 1 or > 1_000_000)
                yield return $"RateLimits:{name} must be between 1 and 1,000,000; it is {value}.";
    }
}
