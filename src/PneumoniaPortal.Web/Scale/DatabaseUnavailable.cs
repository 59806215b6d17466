using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PneumoniaPortal.Web.Scale;

/// <summary>
/// When the portal's database cannot be reached (server down, restarting, network gone), requests get a clear 503
/// in words instead of a stack trace: an HTML page for pages, <c>{"problems": [...]}</c> for APIs. Nothing was
/// written: a failed save rolls its whole transaction back.
/// </summary>
public static class DatabaseUnavailable
{
    public const string Message =
        "The portal's database is unavailable right now, so nothing was loaded or saved. Try again in a minute; if it lasts, tell your instructor or administrator.";

    /// <summary>True for failures that mean the database cannot be reached, not that a query was wrong.</summary>
    public static bool Is(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            switch (e)
            {
                case PostgresException pg when pg.SqlState.StartsWith("08") || pg.SqlState.StartsWith("57P") || pg.SqlState == "53300":
                case NpgsqlException { InnerException: SocketException or IOException or TimeoutException }:
                case NpgsqlException { IsTransient: true } and not PostgresException:
                case SqliteException { SqliteErrorCode: 5 or 6 or 10 or 14 }: // busy, locked, I/O error, cannot open
                    return true;
            }
        return false;
    }

    public static IApplicationBuilder UseDatabaseUnavailablePage(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (Exception e) when (Is(e) && !http.Response.HasStarted)
            {
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PneumoniaPortal.Database")
                    .LogError("{Method} {Path}: the database is unavailable: {Error}", http.Request.Method, http.Request.Path, e.GetBaseException().Message);
                http.Response.Clear();
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                http.Response.Headers.RetryAfter = "30";
                if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/hubs"))
                    await Refusal.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, Message);
                else
                {
                    http.Response.ContentType = "text/html; charset=utf-8";
                    await http.Response.WriteAsync(Page);
                }
            }
        });

    const string Page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Database unavailable · PneumoniaPortal</title>
        <style>body{font-family:Roboto,Helvetica,Arial,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#333}h1{font-size:1.5rem;color:#b71c1c}</style>
        </head><body>
        <h1>The portal's database is unavailable</h1>
        <p>The portal's database is unavailable right now, so nothing was loaded or saved.</p>
        <p>Your runs and their finished epochs are safe. Try again in a minute (<a href="">reload this page</a>); if it lasts, tell your instructor or administrator.</p>
        </body></html>
        """;
}
