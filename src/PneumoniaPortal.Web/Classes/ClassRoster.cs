namespace PneumoniaPortal.Web.Classes;

/// <summary>A class as its instructors manage it. PortalLimits: the portal-wide values the class's quotas stay within.</summary>
public sealed record ClassRoster(int Id, string Name, string JoinCode, bool Archived, ClassQuotas Quotas, ClassQuotas PortalLimits, IReadOnlyList<RosterMember> Members);
