using MudBlazor;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Relabelling;

namespace PneumoniaPortal.Web.Components.Pages.DoubtfulImages;

/// <summary>How the queue shows each kind of evidence: an icon, a short name and a colour.</summary>
public static class EvidenceKinds
{
    public static string Icon(EvidenceKind kind) => kind switch
    {
        EvidenceKind.ConfidentDisagreement => Icons.Material.Filled.ReportProblem,
        EvidenceKind.RunsDisagree => Icons.Material.Filled.HowToVote,
        EvidenceKind.DuplicateConflict => Icons.Material.Filled.ContentCopy,
        EvidenceKind.NearDuplicateConflict => Icons.Material.Filled.Compare,
        EvidenceKind.SplitLeakage => Icons.Material.Filled.CallSplit,
        EvidenceKind.ClassDisagreement => Icons.Material.Filled.Groups,
        _ => Icons.Material.Filled.HelpOutline,
    };

    public static string Name(EvidenceKind kind) => kind switch
    {
        EvidenceKind.ConfidentDisagreement => "Runs confidently disagree",
        EvidenceKind.RunsDisagree => "Most runs disagree",
        EvidenceKind.DuplicateConflict => "Identical copy, other label",
        EvidenceKind.NearDuplicateConflict => "Near-identical, other label",
        EvidenceKind.SplitLeakage => "In train and test",
        EvidenceKind.ClassDisagreement => "Blind labelling disagrees",
        _ => kind.ToString(),
    };

    public static Color Color(EvidenceKind kind) => kind switch
    {
        EvidenceKind.ConfidentDisagreement or EvidenceKind.DuplicateConflict => MudBlazor.Color.Error,
        EvidenceKind.SplitLeakage => MudBlazor.Color.Info,
        _ => MudBlazor.Color.Warning,
    };

    public static Color LabelColor(Label label) => label == Label.Normal ? MudBlazor.Color.Success : MudBlazor.Color.Error;
}
