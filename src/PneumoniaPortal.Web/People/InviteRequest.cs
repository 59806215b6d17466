namespace PneumoniaPortal.Web.People;

public sealed record InviteRequest(string Email, string Role, bool SendEmail);
