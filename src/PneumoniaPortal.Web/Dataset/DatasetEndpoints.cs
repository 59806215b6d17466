using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Dataset;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

public static class DatasetEndpoints
{
    public static void MapDatasetEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/dataset").RequireAuthorization();

        // Images are named by id (ImageIds): one of the data set of the class the caller works in, or of another data set
        // they may be shown (a run's results, a practice set: WorkingClasses.VisibleDatasetIdsAsync), read on first use on
        // any node. A student asking for an image a leaderboard holds back gets the same answer as for an id that names
        // nothing; the data set's key in the hash keeps browser caches apart.
        api.MapGet("/images/{id}/thumb", async (string id, HttpContext http, DatasetService datasets, Classes.WorkingClasses working,
            DatasetVisibility visibility, DatasetThumbnails thumbs, CancellationToken ct) =>
        {
            if (await FindAsync(id, Viewer.Of(http.User), datasets, working, visibility, ct) is not var (dataset, index)) return Results.NotFound();
            var file = await thumbs.GetAsync(dataset.Catalog, dataset.Catalog.Images[index], ct);
            http.Response.Headers.CacheControl = "private, max-age=604800";
            return Results.File(file, "image/jpeg");
        });

        api.MapGet("/images/{id}", async (string id, HttpContext http, DatasetService datasets, Classes.WorkingClasses working,
            DatasetVisibility visibility, CancellationToken ct) =>
        {
            if (await FindAsync(id, Viewer.Of(http.User), datasets, working, visibility, ct) is not var (dataset, index)) return Results.NotFound();
            var image = dataset.Catalog.Images[index];
            http.Response.Headers.CacheControl = "private, max-age=604800";
            if (!dataset.Catalog.IsZip) return Results.File(dataset.Catalog.FullPathOf(image), DatasetThumbnails.ContentTypeOf(image));
            return Results.Bytes(dataset.Catalog.ReadAllBytes(image), DatasetThumbnails.ContentTypeOf(image));
        });

        // The catalog as the caller may see it, in path order: a student's has no held-back image at all, and no file
        // facts (MD5, bytes) that would find a practice image's label; staff also see which leaderboard holds what back.
        api.MapGet("/images", async (HttpContext http, DatasetVisibility visibility, CancellationToken ct) =>
        {
            var visible = await visibility.ForAsync(Viewer.Of(http.User), ct);
            var catalog = visible.Dataset.Catalog;
            return Results.Ok(Enumerable.Range(0, catalog.Count).Where(visible.CanSee).Select(i => (i, image: catalog.Images[i])).Select(x => new CatalogEntry(
                visible.Dataset.IdOf(x.i), x.image.RelativePath, x.image.Split, x.image.Label, x.image.Subtype, x.image.Width, x.image.Height,
                visible.IsStaff ? x.image.Md5 : null, visible.IsStaff ? x.image.Bytes : null, visible.HeldBackFor.GetValueOrDefault(x.i))));
        });

        api.MapGet("/statistics", async (HttpContext http, DatasetVisibility visibility, CancellationToken ct) =>
            Results.Ok((await visibility.ForAsync(Viewer.Of(http.User), ct)).Statistics));

        // For scripts and tests: the body is the zip itself. Its content type is not one a cross-site form can send,
        // so a cookie alone cannot be abused to import from another site.
        api.MapPost("/import", async (HttpContext http, string? name, DatasetService datasets, IOptions<DatasetOptions> options, CancellationToken ct) =>
            {
                var type = http.Request.ContentType ?? "";
                if (!type.StartsWith("application/zip", StringComparison.OrdinalIgnoreCase)
                    && !type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
                    return Refusal.Answer(StatusCodes.Status415UnsupportedMediaType, "Send the data set as the request body with Content-Type: application/zip.");
                http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize = options.Value.MaxUploadBytes;
                try
                {
                    var fileName = (string.IsNullOrWhiteSpace(name) ? "upload" : name) + ".zip";
                    var imported = await datasets.ImportZipAsync(http.Request.Body, fileName, Viewer.Of(http.User), ct: ct);
                    return Results.Ok(new { imported.Id, imported.Name, imported.Images, imported.Fingerprint, imported.IsDefault });
                }
                catch (DatasetLayoutException e)
                {
                    return Refusal.Answer(RefusalKind.Invalid, e.Message);
                }
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.Instructor, Roles.Admin))
            .DisableAntiforgery();

        // Uploads in pieces (the import page's script, or any client): begin, ask how much arrived, send a piece at an
        // offset, import. The pieces are raw bytes, which no cross-site form can send.
        var uploads = api.MapGroup("/uploads");
        uploads.MapPost("", (HttpContext http, BeginUploadRequest request, DatasetUploads store) => Results.Ok(store.Begin(request, Viewer.Of(http.User))));
        uploads.MapGet("/{id}", (HttpContext http, string id, DatasetUploads store) => Results.Ok(store.Status(id, Viewer.Of(http.User))));
        uploads.MapPut("/{id}", async (HttpContext http, string id, long offset, DatasetUploads store, IOptions<DatasetOptions> options, CancellationToken ct) =>
            {
                if (!string.Equals(http.Request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
                    return Refusal.Answer(StatusCodes.Status415UnsupportedMediaType, "Send the piece as the request body with Content-Type: application/octet-stream.");
                http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize = options.Value.UploadChunkBytes;
                return Results.Ok(await store.AppendAsync(id, Viewer.Of(http.User), offset, http.Request.Body, ct));
            })
            .DisableAntiforgery();
        uploads.MapPost("/{id}/import", async (HttpContext http, string id, DatasetUploads store, CancellationToken ct) =>
        {
            try
            {
                var imported = await store.ImportAsync(id, Viewer.Of(http.User), ct);
                return Results.Ok(new { imported.Id, imported.Name, imported.Images, imported.Fingerprint, imported.IsDefault });
            }
            catch (DatasetLayoutException e)
            {
                return Refusal.Answer(RefusalKind.Invalid, e.Message);
            }
        });

        // The data sets the portal knows, for instructors choosing one for a class and admins choosing the default.
        api.MapGet("/known", async (DatasetService datasets, CancellationToken ct) => Results.Ok((await datasets.ListAsync(ct)).Select(KnownDataset.Of)))
            .RequireAuthorization(policy => policy.RequireRole(Roles.Instructor, Roles.Admin));
        api.MapPost("/{id:int}/default", async (HttpContext http, int id, DatasetService datasets, CancellationToken ct) =>
            Results.Ok(await datasets.MakeDefaultAsync(id, Viewer.Of(http.User), ct)));

        // A data set derived by splitting a known one again; DatasetService refuses everyone but staff.
        api.MapPost("/resplit", async (HttpContext http, ResplitRequest request, DatasetService datasets, CancellationToken ct) =>
        {
            try
            {
                return Results.Ok(await datasets.ResplitAsync(request, Viewer.Of(http.User), ct));
            }
            catch (DatasetLayoutException e)
            {
                return Refusal.Answer(RefusalKind.Invalid, e.Message);
            }
        });
    }

    /// <summary>The data set and position of the image with this id that the viewer may be shown, or null (one answer for every refusal).</summary>
    static async Task<(LoadedDataset Dataset, int Index)?> FindAsync(string id, Viewer viewer, DatasetService datasets, Classes.WorkingClasses working,
        DatasetVisibility visibility, CancellationToken ct)
    {
        if (!ImageIds.IsWellFormed(id)) return null;
        // The caller's own data set first (nearly every request), then the others they may be shown, each read on first use.
        var mine = await working.DatasetIdOfAsync(viewer, ct);
        if (await InAsync(mine) is { } inMine) return inMine.Visible;
        if (!viewer.IsAuthenticated) return null;
        foreach (var other in await working.VisibleDatasetIdsAsync(viewer, ct))
            if (other != mine && await InAsync(other) is { } found) return found.Visible;
        return null;

        // Null: not in that data set (or it can no longer be read); else whether this viewer may see it.
        async Task<((LoadedDataset, int)? Visible, bool)?> InAsync(int datasetId)
        {
            if (await datasets.FindAsync(datasetId, ct) is not { } dataset || dataset.IndexOfId(id) is not { } index) return null;
            return (await visibility.CanSeeAsync(viewer, dataset, index, ct) ? (dataset, index) : null, true);
        }
    }
}
