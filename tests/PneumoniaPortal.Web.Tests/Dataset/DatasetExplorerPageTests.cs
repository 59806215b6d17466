using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using PneumoniaPortal.Web.Components.Pages.Dataset;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.Tests.Dataset;

/// <summary>The explorer page rendered with bUnit over the shipped sample (820 images: 340/340 train, 70/70 test).</summary>
public sealed class DatasetExplorerPageTests : IAsyncLifetime
{
    readonly BunitContext _bunit = new();
    readonly DatasetServiceScope _datasets = new();
    IRenderedComponent<MudDialogProvider> _dialogs = default!;

    public DatasetExplorerPageTests()
    {
        _bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        _bunit.Services.AddMudServices();
        _bunit.Services.AddSingleton(_datasets.Service);
        _bunit.Services.AddScoped<ImageGallery>();
        _bunit.AddAuthorization().SetAuthorized("student@portal.local").SetRoles(Roles.Student);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only IAsyncDisposable, so the bUnit context must be disposed asynchronously.
    public async Task DisposeAsync()
    {
        await _bunit.DisposeAsync();
        _datasets.Dispose();
    }

    IRenderedComponent<DatasetExplorer> RenderExplorer()
    {
        _bunit.Render<MudPopoverProvider>();
        _dialogs = _bunit.Render<MudDialogProvider>();
        var page = _bunit.Render<DatasetExplorer>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=explorer-count]")), TimeSpan.FromSeconds(20));
        // The gallery's rows come in a render of their own (Virtualize) after the count.
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=explorer-thumb]")), TimeSpan.FromSeconds(20));
        return page;
    }

    static string Count(IRenderedComponent<DatasetExplorer> page) =>
        string.Join(" ", page.Find("[data-testid=explorer-count]").TextContent.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

    // A filter click re-renders through the component's own event handling, not always before Click() returns.
    static void HasCount(IRenderedComponent<DatasetExplorer> page, string expected) =>
        page.WaitForAssertion(() => Assert.Equal(expected, Count(page)), TimeSpan.FromSeconds(10));

    [Fact]
    public void Explorer_counts_every_image_before_any_filter()
    {
        var page = RenderExplorer();
        Assert.Equal("820 of 820 images", Count(page));
    }

    [Fact]
    public void Choosing_a_label_and_a_split_narrows_the_count()
    {
        var page = RenderExplorer();
        page.Find("[data-testid=filter-label-NORMAL]").Click();
        HasCount(page, "410 of 820 images");
        page.Find("[data-testid=filter-split-test]").Click();
        HasCount(page, "70 of 820 images");
    }

    [Fact]
    public void Duplicates_only_on_a_set_without_duplicates_says_nothing_matches()
    {
        var page = RenderExplorer();
        page.Find("input[data-testid=filter-duplicates]").Change(true);
        HasCount(page, "0 of 820 images");
        Assert.Contains("No image matches", page.Find("[data-testid=explorer-gallery]").TextContent);
    }

    [Fact]
    public void Gallery_shows_lazy_fixed_size_thumbnails_from_the_thumbnail_endpoint()
    {
        var page = RenderExplorer();
        var images = page.FindAll("[data-testid=explorer-thumb] img");
        Assert.NotEmpty(images);
        Assert.All(images, img =>
        {
            Assert.Equal("lazy", img.GetAttribute("loading"));
            Assert.Equal(DatasetThumbnails.Size.ToString(), img.GetAttribute("width"));
            Assert.Matches(@"^api/dataset/images/[0-9a-f]{20}/thumb$", img.GetAttribute("src"));
        });
    }

    [Fact]
    public void Clicking_a_thumbnail_opens_the_image_detail_with_its_label_history()
    {
        var page = RenderExplorer();
        page.FindAll("[data-testid=explorer-thumb]")[0].Click();
        var detail = Assert.Single(_dialogs.FindComponents<ImageDetailDialog>());
        Assert.Contains("Original label", detail.Find("[data-testid=image-detail-history]").TextContent);
        var first = page.FindAll("[data-testid=explorer-thumb]")[0].GetAttribute("data-image");
        Assert.Equal($"api/dataset/images/{first}", detail.Find("[data-testid=image-detail-full]").GetAttribute("src"));
    }

    [Fact]
    public async Task Statistics_panel_shows_the_split_counts_and_class_weights()
    {
        var stats = (await _datasets.Service.GetDefaultAsync()).Statistics;
        var panel = _bunit.Render<DatasetStatisticsPanel>(p => p.Add(x => x.Statistics, stats));
        var train = panel.Find("[data-testid=stats-counts] tr[data-split=train]").TextContent;
        Assert.Contains("80", train);
        Assert.Contains("1.000", panel.Find("[data-testid=stats-class-weights]").TextContent);
        Assert.NotNull(panel.Find("[data-testid=stats-panel]"));
    }
}
