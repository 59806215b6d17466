namespace PneumoniaPortal.Web.Practice;

/// <summary>One student's agreement, with their name (instructors see everyone; a student sees only their own row).</summary>
public sealed record PracticeStudentResult(string Student, bool IsMe, int Answered, int GoldAnswered, int GoldAgreed, double? GoldAgreement,
    int ConsensusCompared, int ConsensusAgreed, double? ConsensusAgreement, int NoConsensus);
