namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>
/// One student's place on a board: public rank and score, and the private ones where the viewer may see them (null
/// otherwise). <see cref="Gap"/> is public minus private: how much the public half flattered them.
/// </summary>
public sealed record LeaderboardStanding(int PublicRank, double PublicScore, int? PrivateRank, double? PrivateScore, int Entrants)
{
    public double? Gap => PrivateScore is { } p ? PublicScore - p : null;
}
