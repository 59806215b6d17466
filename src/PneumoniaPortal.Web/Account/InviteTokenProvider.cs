using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Account;

/// <summary>Identity's data-protection tokens with the invitation's own lifetime (Identity:InviteLinkLifetime).</summary>
public sealed class InviteTokenProvider(IDataProtectionProvider protection, IOptions<InviteTokenProvider.LinkOptions> options, ILogger<DataProtectorTokenProvider<PortalUser>> log)
    : DataProtectorTokenProvider<PortalUser>(protection, options, log)
{
    public const string ProviderName = "Invitation";

    public sealed class LinkOptions : DataProtectionTokenProviderOptions;
}
