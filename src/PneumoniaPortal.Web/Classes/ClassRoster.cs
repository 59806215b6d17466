namespace PneumoniaPortal.Web.Classes;

/// <summary>
/// A class as its instructors manage it. DatasetId: the data set it chose (null: the portal's default). PortalLimits:
/// the portal-wide values the class's quotas stay within.
/// </summary>
public sealed record ClassRoster(int Id, string Name, string JoinCode, bool Archived, int? DatasetId, ClassQuotas Quotas, ClassQuotas PortalLimits, IReadOnlyList<RosterMember> Members);
