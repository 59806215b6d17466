namespace PneumoniaPortal.Web.Dataset;

/// <summary>What a label history entry records.</summary>
public enum LabelHistoryKind { Original, Proposed, Accepted, Rejected }
