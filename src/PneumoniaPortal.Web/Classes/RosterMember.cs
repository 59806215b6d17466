using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Classes;

/// <summary>One member of a class on its roster: last activity is the later of their last sign-in and their last run started in the class.</summary>
public sealed record RosterMember(string UserId, string DisplayName, string Email, CourseRole Role, DateTimeOffset JoinedAt,
    DateTimeOffset? LastActivity, int Runs, int ActiveRuns, double MinutesThisWeek);
