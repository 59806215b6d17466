namespace PneumoniaPortal.Web.Classes;

public sealed record JoinClassRequest(string Code);
