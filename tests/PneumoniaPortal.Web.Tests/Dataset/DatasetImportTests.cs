using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Dataset;

/// <summary>Imports and a new default change the portal's data sets, so these run on a portal of their own.</summary>
public sealed class DatasetImportTests(PortalHost host) : IClassFixture<PortalHost>
{
    DatasetService Datasets => host.Services.GetRequiredService<DatasetService>();

    [Fact]
    public async Task Importing_a_wrong_zip_leaves_the_active_data_set_unchanged_with_a_clear_message()
    {
        using var client = await host.SignInAsync(DemoSeeder.InstructorEmail);
        var before = await Datasets.GetDefaultAsync();

        var response = await client.Http.PostAsync("api/dataset/import?name=holiday", DatasetEndpointTests.ZipContent(DatasetTestData.WrongLayoutZip()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = await response.Content.ReadAsStringAsync();
        Assert.Contains("holiday.zip", message);
        Assert.Contains("NORMAL", message);
        Assert.DoesNotContain("datasets/", message);
        Assert.Equal(before.Id, (await Datasets.GetDefaultAsync()).Id);
        var folder = host.Services.GetRequiredService<PortalPaths>().DatasetsDirectory;
        Assert.DoesNotContain(Directory.Exists(folder) ? Directory.GetFiles(folder) : [], f => f.Contains("holiday"));
    }

    [Fact]
    public async Task An_admin_imports_a_small_Kaggle_layout_zip_then_makes_it_the_default_with_the_right_count()
    {
        using var client = await host.SignInAsync(DemoSeeder.AdminEmail);
        using var instructor = await host.SignInAsync(DemoSeeder.InstructorEmail);
        var before = await Datasets.GetDefaultAsync();

        var response = await client.Http.PostAsync("api/dataset/import?name=twenty", DatasetEndpointTests.ZipContent(DatasetTestData.KaggleZip(perFolder: 5)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<DatasetImportResult>(PortalApi.Json))!.Id;
        Assert.Same(before, await Datasets.GetDefaultAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await instructor.Http.PostAsync($"api/dataset/{id}/default", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.PostAsync("api/dataset/9999/default", null)).StatusCode);
        (await client.Http.PostAsync($"api/dataset/{id}/default", null)).EnsureSuccessStatusCode();
        var active = await Datasets.GetDefaultAsync();
        Assert.Equal(("twenty", 20), (active.Name, active.Catalog.Count));
        Assert.True(active.Catalog.IsZip);
        // Thumbnails and originals now come from the new set.
        var original = await client.Http.GetByteArrayAsync($"api/dataset/images/{active.IdOf(19)}");
        Assert.Equal(active.Catalog.ReadAllBytes(active.Catalog.Images[19]), original);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync($"api/dataset/images/{active.IdOf("test/NORMAL/not-there.jpeg")}")).StatusCode);
    }

    [Fact]
    public async Task Instructor_sees_the_import_page_with_the_known_data_sets_and_only_admins_the_server_folder_form()
    {
        using var client = await host.SignInAsync(DemoSeeder.InstructorEmail);
        var html = await client.Http.GetStringAsync("dataset/import");
        Assert.Contains("data-testid=\"known-datasets\"", html);
        Assert.DoesNotContain("Folder path", html);
        using var admin = await host.SignInAsync(DemoSeeder.AdminEmail);
        Assert.Contains("Folder path", await admin.Http.GetStringAsync("dataset/import"));
    }
}
