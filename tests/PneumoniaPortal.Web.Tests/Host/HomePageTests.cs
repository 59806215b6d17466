using PneumoniaPortal.Tests.Shared;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Tests.Host;

/// <summary>Issue 18: the home page of a portal still on the shipped sample says how to import the full set; once it is not, it does not.</summary>
public sealed class HomePageTests
{
    sealed class OnAnotherSet(string path) : PortalHost(new Dictionary<string, string?> { ["Dataset:Path"] = path });

    [Fact]
    public async Task On_the_sample_instructors_learn_where_to_get_the_full_set_and_how_to_import_it_and_students_who_can()
    {
        using var host = new PortalHost();
        using var instructor = await host.SignInAsync(DemoSeeder.InstructorEmail);
        var page = await instructor.Http.GetStringAsync("");
        Assert.Contains("data-testid=\"sample-banner\"", page);
        Assert.Contains("https://www.kaggle.com/datasets/paultimothymooney/chest-xray-pneumonia", page);
        Assert.Contains("https://doi.org/10.17632/rscbjbr9sj.2", page);
        Assert.Contains("href=\"dataset/import\"", page);
        Assert.Contains("Dataset:Path", page);
        Assert.Contains("CC BY 4.0", page);

        using var student = await host.SignInAsync(DemoSeeder.StudentEmail);
        var studentPage = await student.Http.GetStringAsync("");
        Assert.Contains("data-testid=\"sample-banner\"", studentPage);
        Assert.DoesNotContain("href=\"dataset/import\"", studentPage);
        Assert.Contains("Your instructor can import the full data set.", studentPage);
    }

    [Fact]
    public async Task A_portal_on_another_data_set_shows_no_sample_banner()
    {
        var copy = TestData.CopyOfSample("home-page");
        try
        {
            using var host = new OnAnotherSet(copy);
            using var instructor = await host.SignInAsync(DemoSeeder.InstructorEmail);
            Assert.DoesNotContain("data-testid=\"sample-banner\"", await instructor.Http.GetStringAsync(""));
        }
        finally { Directory.Delete(copy, recursive: true); }
    }
}
