using PneumoniaPortal.Tests.Shared;

namespace PneumoniaPortal.E2E.Tests.Host;

/// <summary>Data sets with known label problems, so the doubtful queue has something to show.</summary>
public static class PlantedDataSets
{
    /// <summary>
    /// A copy of the shipped sample in a temporary folder, plus the first NORMAL train images filed again, byte for byte,
    /// as PNEUMONIA under the given names: duplicates with conflicting labels. The caller deletes the folder.
    /// </summary>
    public static string SampleWithNormalsFiledAsPneumonia(string purpose, params string[] names)
    {
        var root = TestData.CopyOfSample(purpose);
        var normals = Directory.EnumerateFiles(Path.Combine(root, "train", "NORMAL"), "*.jpeg").Order().Take(names.Length).ToList();
        for (var i = 0; i < names.Length; i++)
            File.Copy(normals[i], Path.Combine(root, "train", "PNEUMONIA", names[i]));
        return root;
    }
}
