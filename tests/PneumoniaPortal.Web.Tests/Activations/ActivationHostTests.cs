using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Activations;

/// <summary>Mosaics, Grad-CAM and predictions of a real (tiny) finished run, through the HTTP API.</summary>
public sealed class ActivationHostTests(ActivationRunFixture portal) : IClassFixture<ActivationRunFixture>
{
    static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    static MultipartFormDataContent Upload(byte[] bytes, string fileName, string contentType = "image/jpeg")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    async Task<byte[]> PngAsync(SignedInClient client, string url)
    {
        var response = await client.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.True(png.AsSpan().StartsWith(PngSignature), $"{url} is not a PNG");
        var (width, height) = ImageDecoder.ProbeSize(png);
        Assert.True(width > 0 && height > 0);
        return png;
    }

    [Fact]
    public async Task Activations_of_one_test_image_are_one_valid_PNG_per_conv_block_plus_GradCam_and_the_second_request_comes_from_the_cache()
    {
        var (index, image) = await portal.TestImageAsync();
        var url = $"api/runs/{portal.RunId}/activations/{await portal.IdAsync(index)}";
        Assert.Equal(HttpStatusCode.NotFound, (await portal.Owner.Http.GetAsync(url)).StatusCode);

        var watch = Stopwatch.StartNew();
        var first = await portal.Owner.Http.PostAsync(url, null);
        var firstTime = watch.Elapsed;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var set = await JsonOf(first);
        Assert.False(set.GetProperty("fromCache").GetBoolean());
        Assert.Equal(image.RelativePath, set.GetProperty("imagePath").GetString());
        Assert.InRange(set.GetProperty("runProbability").GetSingle(), 0f, 1f);

        // TinyConfig has two conv blocks: 8 and 16 filters.
        var layers = set.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(2, layers.Count);
        Assert.Equal([8, 16], layers.Select(l => l.GetProperty("channels").GetInt32()));
        Assert.All(layers, l => Assert.Equal(l.GetProperty("channels").GetInt32(), l.GetProperty("shownChannels").GetInt32()));
        Assert.True(layers[0].GetProperty("mapSize").GetInt32() > layers[1].GetProperty("mapSize").GetInt32(), "each block halves the map");
        foreach (var layer in layers) await PngAsync(portal.Owner, layer.GetProperty("png").GetString()!);
        var gradCam = await PngAsync(portal.Owner, set.GetProperty("gradCam").GetString()!);
        Assert.Equal((48, 48), ImageDecoder.ProbeSize(gradCam));
        await PngAsync(portal.Owner, set.GetProperty("input").GetString()!);

        // The set is on disk in the run folder, and the next request reads it from there.
        var manifests = Directory.GetFiles(Path.Combine(portal.DataDirectory, "runs"), "activations.json", SearchOption.AllDirectories);
        Assert.Contains(manifests, m => m.Contains($"{Path.DirectorySeparatorChar}activations{Path.DirectorySeparatorChar}{image.Md5.ToLowerInvariant()}"));
        watch.Restart();
        var second = await portal.Owner.Http.PostAsync(url, null);
        var secondTime = watch.Elapsed;
        var again = await JsonOf(second);
        Assert.True(again.GetProperty("fromCache").GetBoolean());
        Assert.Equal(set.GetProperty("gradCam").GetString(), again.GetProperty("gradCam").GetString());
        Assert.True(secondTime < firstTime, $"cached {secondTime.TotalMilliseconds:0} ms, computed {firstTime.TotalMilliseconds:0} ms");
        Assert.Equal(HttpStatusCode.OK, (await portal.Owner.Http.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Another_student_gets_404_for_the_activations_pictures_and_predictions_of_a_private_run()
    {
        var (index, image) = await portal.TestImageAsync(1);
        var id = await portal.IdAsync(index);
        var computed = await JsonOf(await portal.Owner.Http.PostAsync($"api/runs/{portal.RunId}/activations/{id}", null));
        using var other = await portal.NewStudentAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"api/runs/{portal.RunId}/activations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.PostAsync($"api/runs/{portal.RunId}/activations/{id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync(computed.GetProperty("gradCam").GetString())).StatusCode);
        var predict = await other.Http.PostAsync($"api/runs/{portal.RunId}/predict", Upload(await portal.BytesOfAsync(image), "x.jpeg"));
        Assert.Equal(HttpStatusCode.NotFound, predict.StatusCode);
        // Only file names the service writes are served, even to the owner.
        var key = computed.GetProperty("gradCam").GetString()!.Split('/')[^2];
        Assert.Equal(HttpStatusCode.NotFound, (await portal.Owner.Http.GetAsync($"api/runs/{portal.RunId}/activations/{key}/activations.json")).StatusCode);
    }

    [Fact]
    public async Task A_train_image_is_computed_with_the_runs_probability_and_an_unknown_image_is_refused()
    {
        var train = await portal.IdAsync(await portal.TrainImageIndexAsync());
        var response = await portal.Owner.Http.PostAsync($"api/runs/{portal.RunId}/activations/{train}", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var probability = JsonDocument.Parse(body).RootElement.GetProperty("runProbability").GetDouble();
        Assert.InRange(probability, 0, 1);

        var unknown = await portal.Owner.Http.PostAsync($"api/runs/{portal.RunId}/activations/0123456789abcdef0123", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("not an image of this run's data set that you may see", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Predict_with_a_real_data_set_JPEG_returns_a_probability_between_0_and_1_and_the_label_at_the_runs_threshold()
    {
        var (_, image) = await portal.TestImageAsync(2);
        var response = await portal.Owner.Http.PostAsync($"api/runs/{portal.RunId}/predict", Upload(await portal.BytesOfAsync(image), Path.GetFileName(image.RelativePath)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var json = JsonDocument.Parse(body).RootElement;
        var probability = json.GetProperty("probability").GetDouble();
        var threshold = json.GetProperty("threshold").GetDouble();
        Assert.InRange(probability, 0, 1);
        Assert.InRange(threshold, 0, 1);
        Assert.Equal(probability >= threshold ? "PNEUMONIA" : "NORMAL", json.GetProperty("label").GetString());
    }

    [Fact]
    public async Task Predict_refuses_a_text_file_a_PDF_and_a_truncated_JPEG_with_400_and_a_clear_message_and_stores_nothing()
    {
        var (_, image) = await portal.TestImageAsync(3);
        var jpeg = await portal.BytesOfAsync(image);
        var runs = Path.Combine(portal.DataDirectory, "runs");
        var before = Directory.GetFiles(runs, "*", SearchOption.AllDirectories).Length;
        var cases = new (byte[] Bytes, string Name, string Expected)[]
        {
            (Encoding.UTF8.GetBytes("this is my homework, not an X-ray\n"), "notes.jpg", "notes.jpg is not a JPEG or PNG image: it looks like a text file"),
            (Encoding.ASCII.GetBytes("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), "scan.pdf", "scan.pdf is not a JPEG or PNG image: it looks like a PDF document"),
            (jpeg[..(jpeg.Length / 3)], "cut.jpeg", "cut.jpeg cannot be decoded"),
        };
        foreach (var (bytes, name, expected) in cases)
        {
            var response = await portal.Owner.Http.PostAsync($"api/runs/{portal.RunId}/predict", Upload(bytes, name));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {body}");
            Assert.Contains(expected, JsonDocument.Parse(body).RootElement.GetProperty("problems")[0].GetString());
        }
        Assert.Equal(before, Directory.GetFiles(runs, "*", SearchOption.AllDirectories).Length);
    }
}
