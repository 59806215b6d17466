using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Leaderboards;

namespace PneumoniaPortal.Web.Tests.Activations;

/// <summary>Test images a leaderboard holds back stay out of the activation explorer (their paths name their label).</summary>
public sealed class ActivationHeldBackTests(ActivationRunFixture portal) : IClassFixture<ActivationRunFixture>
{
    [Fact]
    public async Task A_test_image_held_back_by_a_leaderboard_cannot_be_computed_while_a_visible_one_can()
    {
        var active = await portal.Services.GetRequiredService<DatasetService>().GetDefaultAsync();
        await using (var db = await portal.NewDbAsync())
        {
            var course = await db.Courses.FirstAsync();
            var board = new Leaderboard { CourseId = course.Id, DatasetId = active.Id, Title = "held back", HeldOutFraction = 0.5, Seed = 3 };
            board.HeldBack.AddRange(HeldOutImages.Rows(Core.Leaderboards.LeaderboardSplit.Choose(active.Catalog.Images, 0.5, 3)));
            db.Leaderboards.Add(board);
            await db.SaveChangesAsync();
        }
        var hidden = await portal.Services.GetRequiredService<HeldOutImages>().PathsAsync(active.Catalog);
        var held = active.Catalog.Images.ToList().FindIndex(i => hidden.Contains(i.RelativePath));
        var visible = active.Catalog.Images.ToList().FindIndex(i => i.Split == Core.Dataset.Split.Test && !hidden.Contains(i.RelativePath));
        Assert.True(held >= 0 && visible >= 0);

        var refused = await portal.Owner.Http.PostAsync($"api/runs/{portal.RunId}/activations/{active.IdOf(held)}", null);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.DoesNotContain(active.Catalog.Images[held].RelativePath, await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await portal.Owner.Http.PostAsync($"api/runs/{portal.RunId}/activations/{active.IdOf(visible)}", null)).StatusCode);
    }
}
