using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Practice;

/// <summary>What the reader study's model says about one image on the second read: its probability of PNEUMONIA and its call at its threshold.</summary>
public sealed record PracticeHelp(int ItemId, string Model, double Probability, double Threshold, Label Call);
