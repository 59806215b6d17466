namespace PneumoniaPortal.Web.People;

/// <summary>The people feature: admins list accounts, grant roles, lock, hand out reset links and invite instructors.</summary>
public static class PeopleFeature
{
    public static void AddPeople(this WebApplicationBuilder builder) => builder.Services.AddScoped<PeopleService>();
}
