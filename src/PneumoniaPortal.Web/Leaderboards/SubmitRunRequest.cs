namespace PneumoniaPortal.Web.Leaderboards;

public sealed record SubmitRunRequest(int RunId);
