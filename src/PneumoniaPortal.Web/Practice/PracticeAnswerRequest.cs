using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Practice;

/// <summary>A student's answer for one image of a set.</summary>
public sealed record PracticeAnswerRequest(int ItemId, Label Label);
