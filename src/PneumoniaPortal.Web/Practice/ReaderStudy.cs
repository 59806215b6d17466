using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Web.Practice;

/// <summary>
/// A practice set as a reader study (issue 17): every student's blind answers as one operating point on the ROC curve
/// of the model the instructor chose, over the same images; the average reader; the model's own point at its
/// threshold; and agreement with the reference as Cohen's kappa per reader and Fleiss' kappa across the class.
/// Instructors see it always and with names; students once the set is closed, with only their own row named.
/// </summary>
/// <param name="Reference">What the answers are judged against, in words (gold labels, or the data set's labels).</param>
/// <param name="Images">The images every figure is computed over: those with a reference label (and in the model's test split, when a model is chosen).</param>
/// <param name="NotInModelTest">Images of the set not among the model's visible test images (it trained or chose its threshold on them, or a leaderboard holds them back), so left out of the comparison.</param>
/// <param name="ModelProblem">Why a chosen model is not shown (no longer shared, or its results cannot be read).</param>
/// <param name="ClassKappaReaders">How many students answered every image (Fleiss' kappa needs the same readers for each).</param>
public sealed record ReaderStudy(int SetId, bool IsInstructorView, ReaderModel? Model, string? ModelProblem, string Reference, int Images, int NotInModelTest,
    double? ModelAuc, IReadOnlyList<ReaderRocPoint> ModelRoc, ReaderOperatingPoint? ModelPoint, IReadOnlyList<ReaderOperatingPoint> Readers,
    ReaderOperatingPoint? Average, KappaFigure? ClassKappa, int ClassKappaReaders, SecondReadSummary? SecondRead);

/// <summary>A point of the model's ROC curve (its threshold left out: the first one is +infinity, which JSON cannot carry).</summary>
public sealed record ReaderRocPoint(double FalsePositiveRate, double TruePositiveRate);

/// <summary>The reader study's model: a finished run, and the threshold it chose on its own validation split.</summary>
public sealed record ReaderModel(int RunId, string Name, double Threshold, bool SecondRead);

/// <summary>
/// One operating point. <see cref="AboveModel"/>: the reader's sensitivity minus the model's at the reader's
/// false-positive rate (positive: above the curve). Sensitivity or specificity is null when the reader saw no image of that class.
/// </summary>
public sealed record ReaderOperatingPoint(string Reader, bool IsMe, int Images, double? Sensitivity, double? Specificity, double? AboveModel, KappaFigure? Kappa);

/// <summary>Kappa with its 95% bootstrap interval over the images; null where it is undefined.</summary>
public sealed record KappaFigure(double Kappa, double Lower, double Upper, int Images)
{
    public static KappaFigure? Of(Agreement agreement) =>
        agreement.Defined ? new KappaFigure(agreement.Kappa, agreement.Lower, agreement.Upper, agreement.Items) : null;
}

/// <summary>A run the instructor may choose as the reader study's model.</summary>
public sealed record ReaderModelChoice(int RunId, string Name, string Owner, double? TestAuc);

/// <summary>The instructor's choice: a run (null for none) and whether students get a second read with its help.</summary>
public sealed record ReaderModelRequest(int? RunId, bool SecondRead = false);

/// <summary>The second read with the model's help: each reader's switches to the model's call, and the class's added up.</summary>
public sealed record SecondReadSummary(AutomationBias Class, IReadOnlyList<SecondReadRow> Readers);

public sealed record SecondReadRow(string Reader, bool IsMe, AutomationBias Bias);
