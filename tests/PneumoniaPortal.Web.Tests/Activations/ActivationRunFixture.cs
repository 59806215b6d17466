using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Activations;

/// <summary>A portal with one finished tiny run of a fresh student, trained once for all the activation tests.</summary>
public sealed class ActivationRunFixture : PortalHost, IAsyncLifetime
{
    public SignedInClient Owner { get; private set; } = default!;
    public int RunId { get; private set; }

    public async Task InitializeAsync()
    {
        Owner = NewClient();
        await SignInTests.RegisterAsync(Owner, $"a-{Guid.NewGuid():N}"[..12] + "@example.org", await OutsiderJoinCodeAsync());
        RunId = await Owner.StartRunAsync("activations tiny run");
        var done = await Owner.WaitForAsync(RunId, TimeSpan.FromMinutes(4), "Succeeded", "Failed");
        if (done.Status != "Succeeded") throw new InvalidOperationException($"The tiny run failed: {done.Error}");
    }

    public async Task<SignedInClient> NewStudentAsync()
    {
        var client = NewClient();
        await SignInTests.RegisterAsync(client, $"b-{Guid.NewGuid():N}"[..12] + "@example.org", await OutsiderJoinCodeAsync());
        return client;
    }

    /// <summary>Index in the active data set of the n-th test image (no leaderboard holds any back in a fresh portal).</summary>
    public async Task<(int Index, ImageRecord Image)> TestImageAsync(int n = 0)
    {
        var active = await Services.GetRequiredService<DatasetService>().GetDefaultAsync();
        return active.Catalog.Images.Select((image, index) => (index, image)).Where(x => x.image.Split == Split.Test).Skip(n).First();
    }

    /// <summary>The id pages and APIs name the image at this position of the active data set by.</summary>
    public async Task<string> IdAsync(int index) => (await Services.GetRequiredService<DatasetService>().GetDefaultAsync()).IdOf(index);

    public async Task<int> TrainImageIndexAsync() =>
        (await Services.GetRequiredService<DatasetService>().GetDefaultAsync()).Catalog.Images.ToList().FindIndex(i => i.Split == Split.Train);

    public async Task<byte[]> BytesOfAsync(ImageRecord image) =>
        (await Services.GetRequiredService<DatasetService>().GetDefaultAsync()).Catalog.ReadAllBytes(image);

    Task IAsyncLifetime.DisposeAsync()
    {
        Owner?.Dispose();
        return Task.CompletedTask;
    }
}
