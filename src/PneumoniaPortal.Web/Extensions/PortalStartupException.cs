namespace PneumoniaPortal.Web;

/// <summary>A start-up problem the person starting the portal can fix, said in words, instead of a stack trace.</summary>
public sealed class PortalStartupException(string message, Exception? inner = null) : Exception(message, inner);
