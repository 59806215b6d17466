namespace PneumoniaPortal.Web.Practice;

/// <summary>
/// How one student agrees with the gold standard (gold images they answered) and with the class (the majority of the
/// other students' answers on each image they answered; images where the others are evenly split or silent count as
/// no consensus and are left out).
/// </summary>
public sealed record StudentAgreement(string UserId, int Answered, int GoldAnswered, int GoldAgreed, int ConsensusCompared, int ConsensusAgreed, int NoConsensus)
{
    public double? Gold => GoldAnswered == 0 ? null : (double)GoldAgreed / GoldAnswered;
    public double? Consensus => ConsensusCompared == 0 ? null : (double)ConsensusAgreed / ConsensusCompared;
}
