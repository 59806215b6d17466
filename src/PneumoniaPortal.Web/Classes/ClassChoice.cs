namespace PneumoniaPortal.Web.Classes;

/// <summary>A class someone may work in, with the data set it works on.</summary>
public sealed record ClassChoice(int CourseId, string Name, int DatasetId, string DatasetName, bool Archived);
