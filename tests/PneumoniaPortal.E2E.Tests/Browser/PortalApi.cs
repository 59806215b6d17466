using System.Text.Json;
using System.Text.Json.Serialization;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Web.Runs;

namespace PneumoniaPortal.E2E.Tests.Browser;

/// <summary>
/// What a script does next to the browser: the portal's API called with the page's cookies, for the steps a test
/// needs done but is not about (training a few tiny runs, creating a set).
/// </summary>
public static class PortalApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>A one-epoch (or more) run of a small network at 48 px on at most 200 training images: seconds on the sample.</summary>
    public static RunConfig Tiny(bool standardise = false, int seed = 7, int epochs = 1) => new()
    {
        Architecture = new ArchitectureSpec { Name = "tiny", InputSize = 48, Channels = 1, Blocks = [new ConvBlockSpec(8), new ConvBlockSpec(16)] },
        Training = new TrainingSettings { Epochs = epochs, BatchSize = 32, EarlyStoppingPatience = 0, LearningRate = 3e-3, Seed = seed, PerImageStandardization = standardise, MaxTrainImages = 200 },
    };

    /// <summary>
    /// Sends JSON (or, without a body, nothing) with the page's cookies and answers the response's JSON (an undefined
    /// element for an empty answer); fails the test with the portal's answer when refused.
    /// </summary>
    public static async Task<JsonElement> SendAsync(IPage page, string method, string url, object? body = null)
    {
        var response = await page.Context.APIRequest.FetchAsync(url, body is null ? new() { Method = method } : new()
        {
            Method = method,
            DataString = JsonSerializer.Serialize(body, Json),
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
        });
        var text = await response.TextAsync();
        Assert.True(response.Ok, $"{method} {url}: {response.Status} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Starts a run as the page's signed-in student and answers its id.</summary>
    public static async Task<int> StartRunAsync(IPage page, string name, RunConfig config) =>
        (await SendAsync(page, "POST", "api/runs", new StartRunRequest(name, "tiny", config))).GetProperty("id").GetInt32();

    public static async Task WaitForRunAsync(IPage page, int id)
    {
        for (var until = DateTime.UtcNow.AddMinutes(5); DateTime.UtcNow < until; await Task.Delay(500))
        {
            var status = (await (await page.Context.APIRequest.GetAsync($"api/runs/{id}")).JsonAsync())!.Value.GetProperty("status").GetString();
            if (status == "Succeeded") return;
            Assert.NotEqual("Failed", status);
        }
        throw new TimeoutException($"Run {id} did not finish.");
    }
}
