using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Results;

/// <summary>A finished run's answer for one uploaded X-ray. Nothing of the upload is kept on the server.</summary>
public sealed record PredictionResult(float Probability, Label Label, double Threshold, byte[] GradCamPng, byte[] InputPng, int InputSize)
{
    public string LabelName => Label == Label.Pneumonia ? "PNEUMONIA" : "NORMAL";
}
