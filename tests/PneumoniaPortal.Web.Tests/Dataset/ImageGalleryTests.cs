using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.Tests.Dataset;

public sealed class ImageGalleryTests
{
    // Use() never touches the data set service, which only LoadAsync needs.
    static ImageGallery GalleryOf(LoadedDataset dataset)
    {
        var gallery = new ImageGallery(null!);
        gallery.Use(dataset);
        return gallery;
    }

    [Fact]
    public void Without_filters_every_image_matches_in_path_order()
    {
        var gallery = GalleryOf(DatasetTestData.SmallDataset());
        Assert.Equal([0, 1, 2, 3, 4, 5], gallery.Matching);
    }

    [Fact]
    public void Split_and_label_filters_combine()
    {
        var gallery = GalleryOf(DatasetTestData.SmallDataset());
        gallery.Apply(new GalleryFilter(Split: Split.Train, Label: Label.Normal));
        Assert.Equal([2, 3], gallery.Matching);
    }

    [Fact]
    public void Subtype_filter_keeps_only_that_subtype()
    {
        var gallery = GalleryOf(DatasetTestData.SmallDataset());
        gallery.Apply(new GalleryFilter(Subtype: SubtypeNames.Virus));
        Assert.Equal([1], gallery.Matching);
    }

    [Fact]
    public void Duplicates_only_shows_files_with_a_byte_identical_twin_whatever_the_md5_case()
    {
        var gallery = GalleryOf(DatasetTestData.SmallDataset());
        gallery.Apply(new GalleryFilter(DuplicatesOnly: true));
        Assert.Equal([0, 4], gallery.Matching);
    }

    [Fact]
    public void File_name_search_ignores_case()
    {
        var gallery = GalleryOf(DatasetTestData.SmallDataset());
        gallery.Apply(new GalleryFilter(Search: "BACTERIA"));
        Assert.Equal([4, 5], gallery.Matching);
    }

    [Fact]
    public void Matching_images_are_cut_into_rows_of_the_chosen_width()
    {
        var gallery = GalleryOf(DatasetTestData.SmallDataset());
        gallery.PerRow = 4;
        Assert.Equal([[0, 1, 2, 3], [4, 5]], gallery.Rows);
    }

    [Fact]
    public void Filter_survives_a_change_of_data_set()
    {
        var gallery = GalleryOf(DatasetTestData.SmallDataset());
        gallery.Apply(new GalleryFilter(Label: Label.Pneumonia));
        gallery.Use(DatasetTestData.SmallDataset());
        Assert.Equal(Label.Pneumonia, gallery.Filter.Label);
        Assert.Equal([1, 4, 5], gallery.Matching);
    }

    [Fact]
    public void Image_detail_lists_its_twins_with_their_split_and_label_and_the_original_label_first_in_history()
    {
        var gallery = GalleryOf(DatasetTestData.SmallDataset());
        var detail = gallery.Detail(0)!;
        var twin = Assert.Single(detail.Twins);
        Assert.Equal((4, Split.Train, Label.Pneumonia), (twin.Index, twin.Split, twin.Label));
        Assert.True(detail.TwinLabelsConflict);
        Assert.True(detail.TwinsCrossSplits);
        var original = Assert.Single(detail.LabelHistory);
        Assert.Equal(Label.Normal, original.Label);
        Assert.Contains("test/NORMAL", original.Source);
    }

    [Fact]
    public void Unknown_image_position_has_no_detail()
    {
        var gallery = GalleryOf(DatasetTestData.SmallDataset());
        Assert.Null(gallery.Detail(6));
        Assert.Null(gallery.Detail(-1));
    }
}
