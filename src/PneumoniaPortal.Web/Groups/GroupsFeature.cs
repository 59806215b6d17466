namespace PneumoniaPortal.Web.Groups;

/// <summary>The seed groups feature: runs of one setting over several seeds, as mean ± SD.</summary>
public static class GroupsFeature
{
    public static void AddGroups(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SeedGroupService>();
    }
}
