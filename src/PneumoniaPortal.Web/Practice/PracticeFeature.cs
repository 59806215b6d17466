namespace PneumoniaPortal.Web.Practice;

/// <summary>The practice feature: blind labelling practice sets, answers and agreement.</summary>
public static class PracticeFeature
{
    public static void AddPractice(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<BlindLabellingService>();
        builder.Services.AddSingleton<AgreementCache>();
    }
}
