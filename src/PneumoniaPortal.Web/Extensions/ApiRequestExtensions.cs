using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;

namespace PneumoniaPortal.Web;

public static class ApiRequestExtensions
{
    /// <summary>
    /// How /api reads JSON: enums by name only (<see cref="NamedEnumJsonConverter"/>), no null where a value is needed,
    /// no missing field that has no default. A request that breaks these is refused whole, before any service runs.
    /// </summary>
    public static void AddApiRequests(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(o => Strict(o.SerializerOptions));
        // Unreadable requests reach UseApiBadRequests as exceptions (with the reason) instead of a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
    }

    /// <summary>The portal's rules for JSON it reads, shared by the API and the live-update hub.</summary>
    public static JsonSerializerOptions Strict(JsonSerializerOptions options)
    {
        options.Converters.Add(new NamedEnumJsonConverter());
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        return options;
    }

    /// <summary>
    /// An /api request that could not be read (a body that is not the JSON the endpoint takes, an enum value that names
    /// nothing, a route or query value of the wrong kind) is answered with its status (400, 413, 415) and
    /// <c>{"problems": [...]}</c> saying what was wrong; nothing was changed, no service ran. A <see cref="Refusal"/>
    /// a service threw is answered the same way, with the status of its kind.
    /// </summary>
    public static IApplicationBuilder UseApiBadRequests(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        try
        {
            await next(http);
        }
        catch (BadHttpRequestException e) when (http.Request.Path.StartsWithSegments("/api") && !http.Response.HasStarted)
        {
            http.Response.Clear();
            await Refusal.WriteAsync(http, e.StatusCode, Explain(e) + " Nothing was changed.");
        }
        catch (Refusal e) when (http.Request.Path.StartsWithSegments("/api") && !http.Response.HasStarted)
        {
            http.Response.Clear();
            await Refusal.WriteAsync(http, e.Status, e.Problems);
        }
    });

    static string Explain(BadHttpRequestException e) => e.InnerException switch
    {
        JsonException { Path: { Length: > 2 } path } json when json.Message.StartsWith('\'') || !json.Message.Contains("Path:", StringComparison.Ordinal)
            => $"{path[2..]}: {json.Message}",
        JsonException json => $"The request body is not the JSON this call takes: {json.Message}",
        _ => e.Message,
    };
}
