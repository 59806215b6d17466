namespace PneumoniaPortal.Web.People;

/// <summary>A one-time link as it is handed out: relative to the portal, shown once, perhaps also mailed.</summary>
public sealed record IssuedLink(string Link, bool Emailed, string ValidFor);
