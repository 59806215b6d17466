namespace PneumoniaPortal.Web.People;

public sealed record RoleChange(string Role, bool Granted);
