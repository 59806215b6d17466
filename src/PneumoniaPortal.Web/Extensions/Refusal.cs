namespace PneumoniaPortal.Web;

/// <summary>Why a service said no, which decides the HTTP status an API caller gets.</summary>
public enum RefusalKind { Invalid, Forbidden, NotFound, Conflict, TooMany, Busy }

/// <summary>
/// A service's "no", with the message to show as it is (what happened, why, what to do). Pages show
/// <see cref="Exception.Message"/>; for /api calls it becomes the status of its <see cref="Kind"/> and
/// <c>{"problems": [message]}</c> in one place (<see cref="ApiRequestExtensions.UseApiBadRequests"/>).
/// </summary>
public sealed class Refusal(RefusalKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public RefusalKind Kind { get; } = kind;

    public int Status => Kind switch
    {
        RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.Conflict => StatusCodes.Status409Conflict,
        RefusalKind.TooMany => StatusCodes.Status429TooManyRequests,
        RefusalKind.Busy => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    public static Refusal Invalid(string message) => new(RefusalKind.Invalid, message);
    public static Refusal Forbidden(string message) => new(RefusalKind.Forbidden, message);
    public static Refusal NotFound(string message) => new(RefusalKind.NotFound, message);
}
