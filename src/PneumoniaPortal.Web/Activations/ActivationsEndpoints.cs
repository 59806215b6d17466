using Microsoft.AspNetCore.Http.Features;
using PneumoniaPortal.Web.Results;

namespace PneumoniaPortal.Web.Activations;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

public static class ActivationsEndpoints
{
    public static void MapActivationsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Every endpoint checks through RunResultsService that the viewer may see the run: 404 otherwise.
        var api = endpoints.MapGroup("/api/runs/{id:int}").RequireAuthorization();

        api.MapGet("/activations/{image}", async (int id, string image, ActivationService activations, CancellationToken ct) =>
            await activations.CachedAsync(id, image, ct) is { } set ? Results.Ok(View(id, set)) : Results.NotFound());

        // Computes the set (waiting its turn on the queue) or answers from the cache; no body, so no form to forge.
        api.MapPost("/activations/{image}", async (int id, string image, ActivationService activations, CancellationToken ct) =>
            Results.Ok(View(id, await activations.ComputeAsync(id, image, ct: ct))));

        // The Grad-CAM sanity check (model randomisation): computed on the queue like the set, or read from the cache.
        api.MapPost("/activations/{image}/sanity", async (int id, string image, ActivationService activations, CancellationToken ct) =>
            Results.Ok(SanityView(id, await activations.SanityAsync(id, image, ct: ct))));

        api.MapGet("/activations/{key}/{file}", async (int id, string key, string file, HttpContext http, ActivationService activations, CancellationToken ct) =>
        {
            if (await activations.FilePathAsync(id, key, file, ct) is not { } path) return Results.NotFound();
            // A file name under a content hash never changes.
            http.Response.Headers.CacheControl = "private, max-age=86400";
            return Results.File(path, "image/png");
        });

        // For scripts: multipart form with one file. It stores nothing, so a cross-site form could only spend CPU.
        api.MapPost("/predict", async (int id, HttpContext http, IRunPredictor predictor, CancellationToken ct) =>
            {
                http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize = PredictionUpload.MaxBytes + (1 << 20);
                if (!http.Request.HasFormContentType)
                    return Problem("Send the image as multipart/form-data with one file field (e.g. curl -F file=@xray.jpeg).");
                IFormCollection form;
                try { form = await http.Request.ReadFormAsync(ct); }
                catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
                {
                    return Problem($"The upload could not be read: {e.Message} The largest accepted image is {PredictionUpload.MaxBytes >> 20} MB.");
                }
                if (form.Files.FirstOrDefault() is not { } file) return Problem("The form has no file. " + PredictionUpload.Advice);
                if (file.Length > PredictionUpload.MaxBytes) return Problem(PredictionUpload.TooLarge(file.FileName, file.Length));
                using var memory = new MemoryStream((int)file.Length);
                await file.CopyToAsync(memory, ct);
                var r = await predictor.PredictAsync(id, memory.ToArray(), file.FileName, ct: ct);
                return Results.Ok(new { probability = r.Probability, label = r.LabelName, threshold = r.Threshold });
            })
            .DisableAntiforgery()
            .WithMetadata(new Security.AcceptsFormUpload());
    }

    static IResult Problem(string message) => Refusal.Answer(RefusalKind.Invalid, message);

    static object SanityView(int runId, GradCamSanity sanity) => new
    {
        sanity.Spearman,
        sanity.Alike,
        sanity.Sentence,
        sanity.Seed,
        sanity.Seconds,
        Trained = ActivationSet.FileUrl(runId, sanity.Key, sanity.TrainedFile),
        Randomised = ActivationSet.FileUrl(runId, sanity.Key, sanity.RandomFile),
    };

    static object View(int runId, ActivationSet set) => new
    {
        set.ImagePath,
        Label = set.Label.ToString().ToUpperInvariant(),
        set.RunProbability,
        set.InputSize,
        set.FromCache,
        set.Seconds,
        set.ComputedAt,
        Input = ActivationSet.FileUrl(runId, set.Key, set.InputFile),
        GradCam = ActivationSet.FileUrl(runId, set.Key, set.GradCamFile),
        Layers = set.Layers.Select(l => new { l.Layer, l.Channels, l.ShownChannels, l.MapSize, Png = ActivationSet.FileUrl(runId, set.Key, l.File) }),
    };
}
