using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Activations;

namespace PneumoniaPortal.Web.Tests.Activations;

/// <summary>Issue 17: the model-randomisation check of Grad-CAM on a real (tiny) finished run, through the HTTP API.</summary>
public sealed class GradCamSanityTests(ActivationRunFixture portal) : IClassFixture<ActivationRunFixture>
{
    static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task The_check_compares_the_trained_map_with_a_random_networks_and_repeats_exactly()
    {
        var (index, image) = await portal.TestImageAsync(1);
        var url = $"api/runs/{portal.RunId}/activations/{await portal.IdAsync(index)}/sanity";
        var sanity = await JsonOf(await portal.Owner.Http.PostAsync(url, null));

        // The figure is the rank correlation of the two maps, computed here again from the run itself.
        var paths = portal.Services.GetRequiredService<PortalPaths>();
        double expected;
        using (var run = TrainedRun.Open(Path.Combine(paths.RunsDirectory, $"run-{portal.RunId:D6}"), "cpu"))
        {
            var gray = run.Decode(await portal.BytesOfAsync(image));
            var (_, trained, _) = ActivationExplorer.GradCam(run, gray);
            using var randomised = ActivationExplorer.Randomised(run, ActivationService.SanitySeed);
            var (_, random, _) = ActivationExplorer.GradCam(run, gray, randomised);
            Assert.NotEqual(trained, random);
            expected = MapSimilarity.Of(trained, random).Spearman;
        }
        if (double.IsNaN(expected)) Assert.Equal(JsonValueKind.Null, sanity.GetProperty("spearman").ValueKind);
        else
        {
            Assert.Equal(expected, sanity.GetProperty("spearman").GetDouble(), 6);
            Assert.Equal(expected >= MapSimilarity.AlikeFrom, sanity.GetProperty("alike").GetBoolean());
        }
        Assert.Equal(ActivationService.SanitySeed, sanity.GetProperty("seed").GetInt32());

        // Both maps are served as pictures of the network's input size, and they differ.
        var trainedPng = await portal.Owner.Http.GetByteArrayAsync(sanity.GetProperty("trained").GetString());
        var randomPng = await portal.Owner.Http.GetByteArrayAsync(sanity.GetProperty("randomised").GetString());
        Assert.Equal((48, 48), ImageDecoder.ProbeSize(randomPng));
        Assert.NotEqual(trainedPng, randomPng);

        // Kept: asked again, the same answer from the cache; computed again from scratch, the same answer (seeded).
        var again = await JsonOf(await portal.Owner.Http.PostAsync(url, null));
        Assert.Equal(sanity.GetProperty("seconds").GetDouble(), again.GetProperty("seconds").GetDouble());
        foreach (var file in Directory.GetFiles(paths.RunsDirectory, "sanity.json", SearchOption.AllDirectories)) File.Delete(file);
        var recomputed = await JsonOf(await portal.Owner.Http.PostAsync(url, null));
        Assert.Equal(sanity.GetProperty("spearman").ToString(), recomputed.GetProperty("spearman").ToString());
    }

    [Fact]
    public async Task Another_student_gets_404_for_the_check_of_a_private_run()
    {
        var (index, _) = await portal.TestImageAsync();
        using var other = await portal.NewStudentAsync();
        var response = await other.Http.PostAsync($"api/runs/{portal.RunId}/activations/{await portal.IdAsync(index)}/sanity", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"api/runs/{portal.RunId}/activations/{new string('a', 32)}/gradcam-random.png")).StatusCode);
    }
}
