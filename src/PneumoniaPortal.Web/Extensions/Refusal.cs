namespace PneumoniaPortal.Web;

/// <summary>
/// A service's "no", with the message to show as it is (what happened, why, what to do); nothing was changed. Services
/// throw it; pages catch it and show <see cref="Exception.Message"/> (<c>Snackbar.TryAsync</c> for actions, the page's
/// alert for loads and forms); for /api calls <see cref="ApiRequestExtensions.UseApiBadRequests"/> answers the status
/// of its <see cref="Kind"/> with <c>{"problems": [...]}</c>, the one shape every API "no" has (<see cref="Answer"/>).
/// </summary>
public sealed class Refusal : Exception
{
    public Refusal(RefusalKind kind, string message, Exception? inner = null) : this(kind, [message], inner) { }

    /// <summary>Several problems at once (a form with several wrong fields): each its own entry of <c>problems</c>.</summary>
    public Refusal(RefusalKind kind, IReadOnlyList<string> problems, Exception? inner = null)
        : base(string.Join(" ", problems), inner) => (Kind, Problems) = (kind, problems);

    public RefusalKind Kind { get; }
    public IReadOnlyList<string> Problems { get; }
    public int Status => StatusOf(Kind);

    public static int StatusOf(RefusalKind kind) => kind switch
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
    public static Refusal Conflict(string message) => new(RefusalKind.Conflict, message);
    public static Refusal TooMany(string message) => new(RefusalKind.TooMany, message);
    public static Refusal Busy(string message) => new(RefusalKind.Busy, message);

    /// <summary>This refusal as an endpoint's answer.</summary>
    public IResult ToResult() => Answer(Status, Problems);

    /// <summary>The one shape of every /api "no": the status and <c>{"problems": [...]}</c>.</summary>
    public static IResult Answer(int status, params IEnumerable<string?> problems) =>
        TypedResults.Json(new { problems = problems.ToArray() }, statusCode: status);

    /// <summary><see cref="Answer"/> for a kind of refusal.</summary>
    public static IResult Answer(RefusalKind kind, params IEnumerable<string?> problems) => Answer(StatusOf(kind), problems);

    /// <summary>The same answer written by middleware (no endpoint ran, or one threw).</summary>
    public static Task WriteAsync(HttpContext http, int status, params IEnumerable<string?> problems)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { problems = problems.ToArray() });
    }
}
