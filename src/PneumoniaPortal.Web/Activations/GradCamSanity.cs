namespace PneumoniaPortal.Web.Activations;

/// <summary>
/// The model-randomisation check of one image's Grad-CAM (issue 17; Adebayo et al. 2018): the trained network's map
/// and the map of the same architecture with its weights drawn again at random (seed <see cref="Seed"/>), and their
/// Spearman rank correlation (null when a map is flat). <see cref="Alike"/>: the map shows the image more than what
/// the network learned. Saved beside the activation set in the run folder.
/// </summary>
public sealed record GradCamSanity(string Key, string TrainedFile, string RandomFile, double? Spearman, bool Alike, string Sentence, int Seed, double Seconds);
