using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Web.RunSetup;

namespace PneumoniaPortal.Web.Tests.RunSetup;

public class AugmentationPreviewServiceTests
{
    readonly AugmentationPreviewService _previews = SampleImages.Previews();

    [Fact]
    public async Task A_preview_shows_eight_different_versions_and_a_reroll_changes_every_one()
    {
        var image = (await _previews.ChoicesAsync())[0].RelativePath;
        var settings = RunPresets.Get(ArchitecturePresets.CpuDefault).Augmentation;

        var preview = await _previews.RenderAsync(image, settings, 128, seed: 1);
        var again = await _previews.RenderAsync(image, settings, 128, seed: 1);
        var rerolled = await _previews.RenderAsync(image, settings, 128, seed: 2);

        Assert.Equal(8, preview.Augmented.Distinct().Count());
        Assert.DoesNotContain(preview.Original, preview.Augmented);
        Assert.Equal(preview.Augmented, again.Augmented);
        Assert.Empty(preview.Augmented.Intersect(rerolled.Augmented));
        Assert.Equal(preview.Original, rerolled.Original);
    }

    [Fact]
    public async Task With_augmentation_off_every_version_is_the_original()
    {
        var image = (await _previews.ChoicesAsync())[0].RelativePath;
        var preview = await _previews.RenderAsync(image, AugmentationSettings.None, 64, seed: 3);
        Assert.All(preview.Augmented, a => Assert.Equal(preview.Original, a));
    }

    [Fact]
    public async Task Impossible_settings_are_refused_rather_than_previewed()
    {
        var image = (await _previews.ChoicesAsync())[0].RelativePath;
        var error = await Assert.ThrowsAsync<InvalidSettingsException>(() =>
            _previews.RenderAsync(image, new AugmentationSettings { Zoom = -1 }, 64, seed: 1));
        Assert.StartsWith("Zoom (fraction) must be between 0 and 0.5", error.Problems[0]);
    }

    [Fact]
    public async Task The_sample_choices_alternate_normal_and_pneumonia_training_images()
    {
        var choices = await _previews.ChoicesAsync(4);
        Assert.Equal([Label.Normal, Label.Pneumonia, Label.Normal, Label.Pneumonia], choices.Select(c => c.Label));
        Assert.Equal(4, choices.Select(c => c.RelativePath).Distinct().Count());
    }
}
