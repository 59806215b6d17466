namespace PneumoniaPortal.Web.Classes;

public sealed record AddInstructorRequest(string Email);
