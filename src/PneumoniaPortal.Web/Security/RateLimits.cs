using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace PneumoniaPortal.Web.Security;

/// <summary>
/// Per person and per network address limits (<see cref="RateLimitOptions"/>), on the fixed-window limiters of
/// System.Threading.RateLimiting, the library behind ASP.NET Core's rate-limiting middleware. The services ask here,
/// not a middleware, because most of these actions arrive over a page's Blazor circuit rather than as HTTP requests.
/// </summary>
public sealed class RateLimits(IOptions<RateLimitOptions> options) : IDisposable
{
    readonly PartitionedRateLimiter<(LimitedAction Action, string Key)> _limiter =
        PartitionedRateLimiter.Create<(LimitedAction Action, string Key), (LimitedAction, string)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, k => Window(options.Value, k.Action, k.Key.StartsWith("address:", StringComparison.Ordinal))));

    /// <summary>
    /// Counts <paramref name="count"/> of <paramref name="action"/> (a seed group's runs are one start each) for the
    /// person and for the address. Null when neither has used up its limit; otherwise what to tell the person (nothing
    /// was done).
    /// </summary>
    public string? TryTake(LimitedAction action, string? userId, IPAddress? address, int count = 1)
    {
        foreach (var key in Keys(userId, address))
        {
            // The limiter refuses to be asked for more than its window holds: that is a plain no, not an error.
            var permits = Window(options.Value, action, key.StartsWith("address:", StringComparison.Ordinal)).PermitLimit;
            if (count > permits)
                return $"{count} at once is more than the {permits} allowed {(key.StartsWith("address:", StringComparison.Ordinal) ? "from your network" : "from your account")} in one window; nothing was done.";
            using var lease = _limiter.AttemptAcquire((action, key), count);
            if (!lease.IsAcquired) return Refusal(action, key, lease);
        }
        return null;
    }

    /// <summary>Whether the address has used up its limit for this action (sign-in checks before it tries a password).</summary>
    public string? Spent(LimitedAction action, IPAddress? address)
    {
        if (address is null) return null;
        var key = (action, $"address:{address}");
        // Asking for no permit tells whether any are left, without taking one.
        using var lease = _limiter.AttemptAcquire(key, 0);
        return lease.IsAcquired ? null : Refusal(action, key.Item2, lease);
    }

    static IEnumerable<string> Keys(string? userId, IPAddress? address)
    {
        if (!string.IsNullOrEmpty(userId)) yield return $"user:{userId}";
        if (address is not null) yield return $"address:{address}";
    }

    static FixedWindowRateLimiterOptions Window(RateLimitOptions o, LimitedAction action, bool perAddress)
    {
        var (permits, window) = action switch
        {
            LimitedAction.SignInFailure => (o.SignInFailuresPerAddress, TimeSpan.FromMinutes(10)),
            LimitedAction.Registration => (o.RegistrationsPerAddress, TimeSpan.FromHours(1)),
            LimitedAction.JoinClass => (o.JoinAttemptsPerUser, TimeSpan.FromMinutes(10)),
            LimitedAction.StartRun => (o.RunStartsPerUser, TimeSpan.FromHours(1)),
            // Per address: the form's askers; per account: the emails one person may be sent.
            LimitedAction.ResetEmail => (perAddress ? o.ResetEmailsPerAddress : o.ResetEmailsPerAccount, TimeSpan.FromHours(1)),
            _ => (o.PredictionsPerUser, TimeSpan.FromMinutes(1)),
        };
        // Anonymous actions are counted per address only; signed-in ones per address too, for a whole class at once.
        if (perAddress && action is not (LimitedAction.SignInFailure or LimitedAction.Registration or LimitedAction.ResetEmail)) permits = (int)Math.Min(int.MaxValue, (long)permits * o.AddressFactor);
        return new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };
    }

    static string Refusal(LimitedAction action, string key, RateLimitLease lease)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromMinutes(1);
        var when = $"try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} minute(s)";
        var who = key.StartsWith("address:", StringComparison.Ordinal) ? "from your network" : "from your account";
        return action switch
        {
            LimitedAction.SignInFailure => $"Too many failed sign-ins {who}; {when}. Nothing was tried.",
            LimitedAction.Registration => $"Too many registrations {who}; {when}. No account was created.",
            LimitedAction.JoinClass => $"Too many join codes tried {who}; {when}. Check the code with your instructor.",
            LimitedAction.StartRun => $"Too many runs started {who} in the last hour; {when}. Nothing was queued.",
            LimitedAction.ResetEmail => $"Too many reset links asked for {who}; {when}. Nothing was sent.",
            _ => $"Too many predictions {who} in the last minute; {when}.",
        };
    }

    public void Dispose() => _limiter.Dispose();
}
