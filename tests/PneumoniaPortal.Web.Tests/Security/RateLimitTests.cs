using System.Net;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Tests.Security;

/// <summary>The limiter on its own, with settings at the edges of what <see cref="RateLimitOptions.Validate"/> accepts.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public void The_largest_settings_allowed_give_a_per_address_limit_instead_of_an_error()
    {
        using var limits = new RateLimits(Options.Create(new RateLimitOptions { RunStartsPerUser = 1_000_000, AddressFactor = 1_000_000 }));
        Assert.Empty(new RateLimitOptions { RunStartsPerUser = 1_000_000, AddressFactor = 1_000_000 }.Validate());
        Assert.Null(limits.TryTake(LimitedAction.StartRun, "student", IPAddress.Loopback));
    }

    [Fact]
    public void One_person_and_one_address_are_counted_apart()
    {
        using var limits = new RateLimits(Options.Create(new RateLimitOptions { RunStartsPerUser = 1, AddressFactor = 2 }));
        Assert.Null(limits.TryTake(LimitedAction.StartRun, "a", IPAddress.Loopback));
        Assert.Contains("from your account", limits.TryTake(LimitedAction.StartRun, "a", IPAddress.Loopback));
        Assert.Null(limits.TryTake(LimitedAction.StartRun, "b", IPAddress.Loopback));
        Assert.Contains("from your network", limits.TryTake(LimitedAction.StartRun, "c", IPAddress.Loopback));
    }

    [Fact]
    public void A_seed_group_counts_each_run_and_one_larger_than_the_limit_is_refused_with_a_message()
    {
        using var limits = new RateLimits(Options.Create(new RateLimitOptions { RunStartsPerUser = 3, AddressFactor = 10 }));
        Assert.Contains("more than the 3 allowed from your account", limits.TryTake(LimitedAction.StartRun, "a", IPAddress.Loopback, count: 5));
        Assert.Null(limits.TryTake(LimitedAction.StartRun, "a", IPAddress.Loopback, count: 2));
        Assert.Contains("Too many runs started from your account", limits.TryTake(LimitedAction.StartRun, "a", IPAddress.Loopback, count: 2));
        Assert.Null(limits.TryTake(LimitedAction.StartRun, "a", IPAddress.Loopback, count: 1));
    }
}
