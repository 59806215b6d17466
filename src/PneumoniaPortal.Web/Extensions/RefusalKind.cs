namespace PneumoniaPortal.Web;

/// <summary>Why a service said no, which decides the HTTP status an API caller gets.</summary>
public enum RefusalKind { Invalid, Forbidden, NotFound, Conflict, TooMany, Busy }
