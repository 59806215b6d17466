using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Tests.Host;
using SkiaSharp;

namespace PneumoniaPortal.Web.Tests.Dataset;

public sealed class DatasetEndpointTests(PortalHost host) : IClassFixture<PortalHost>
{
    [Fact]
    public async Task Thumbnail_needs_sign_in()
    {
        using var client = host.NewClient();
        var response = await client.Http.GetAsync("api/dataset/images/0/thumb");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Signed_in_student_gets_a_small_cacheable_jpeg_thumbnail()
    {
        using var client = await host.SignInAsync(DemoSeeder.StudentEmail);
        var active = await host.Services.GetRequiredService<DatasetService>().GetDefaultAsync();
        var response = await client.Http.GetAsync($"api/dataset/images/{active.IdOf(3)}/thumb");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.CacheControl!.MaxAge > TimeSpan.FromHours(1));
        using var bitmap = SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(DatasetThumbnails.Size, Math.Max(bitmap.Width, bitmap.Height));

        // Cached on disk by content: another data set holding the same file uses the same thumbnail.
        var md5 = active.Catalog.Images[3].Md5.ToLowerInvariant();
        Assert.True(File.Exists(Path.Combine(host.DataDirectory, "cache", "thumbs", md5[..2], md5 + ".jpg")), "the thumbnail is cached on disk");
        var again = await client.Http.GetAsync($"api/dataset/images/{active.IdOf(3)}/thumb");
        Assert.Equal(await response.Content.ReadAsByteArrayAsync(), await again.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Full_image_returns_the_original_bytes()
    {
        var active = await host.Services.GetRequiredService<DatasetService>().GetDefaultAsync();
        using var client = await host.SignInAsync(DemoSeeder.StudentEmail);
        var response = await client.Http.GetAsync($"api/dataset/images/{active.IdOf(7)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(active.Catalog.ReadAllBytes(active.Catalog.Images[7]), await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("api/dataset/images/99999/thumb")]
    [InlineData("api/dataset/images/99999")]
    [InlineData("api/dataset/images/-1")]
    public async Task Unknown_image_index_is_not_found(string url)
    {
        using var client = await host.SignInAsync(DemoSeeder.StudentEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Student_cannot_import_a_data_set()
    {
        using var client = await host.SignInAsync(DemoSeeder.StudentEmail);
        var post = await client.Http.PostAsync("api/dataset/import", ZipContent(DatasetTestData.KaggleZip(perFolder: 2)));
        Assert.True(post.StatusCode == HttpStatusCode.Forbidden, $"{(int)post.StatusCode} {await post.Content.ReadAsStringAsync()}");
        var page = await client.Http.GetAsync("dataset/import");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("AccessDenied", page.Headers.Location!.ToString());
        var explorer = await client.Http.GetStringAsync("dataset");
        Assert.DoesNotContain("explorer-import-link", explorer);
    }

    [Fact]
    public async Task Explorer_page_shows_the_gallery_count_and_filters_to_a_signed_in_student()
    {
        using var client = await host.SignInAsync(DemoSeeder.StudentEmail);
        var html = await client.Http.GetStringAsync("dataset");
        Assert.Contains("data-testid=\"explorer-gallery\"", html);
        Assert.Contains("data-testid=\"filter-split\"", html);
        Assert.Contains("data-testid=\"filter-label\"", html);
        Assert.Matches(@"data-testid=""explorer-count""[^>]*>\s*<b>820</b>", html);
    }

    [Fact]
    public async Task Statistics_are_served_to_signed_in_users()
    {
        using var client = await host.SignInAsync(DemoSeeder.StudentEmail);
        var json = await client.Http.GetStringAsync("api/dataset/statistics");
        Assert.Contains("\"totalImages\":820", json);
    }

    internal static ByteArrayContent ZipContent(byte[] zip)
    {
        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/zip");
        return content;
    }
}
