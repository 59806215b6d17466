namespace PneumoniaPortal.Web.Security;

/// <summary>Marks an /api endpoint that reads a multipart form upload (scripts use curl -F).</summary>
public sealed class AcceptsFormUpload;
