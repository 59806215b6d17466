namespace PneumoniaPortal.Web.Classes;

/// <summary>The data set a class works on from now on; null: the portal's default.</summary>
public sealed record ClassDatasetRequest(int? DatasetId);
