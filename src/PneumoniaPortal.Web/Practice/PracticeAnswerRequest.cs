using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Practice;

/// <summary>A student's answer for one image of a set: blind, or (<see cref="Assisted"/>) on the second read with the model's help.</summary>
public sealed record PracticeAnswerRequest(int ItemId, Label Label, bool Assisted = false);
