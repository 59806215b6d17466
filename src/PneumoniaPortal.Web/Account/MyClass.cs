using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Account;

/// <summary>A class the signed-in person is in, as their account page lists it.</summary>
public sealed record MyClass(int Id, string Name, CourseRole Role, bool Archived, DateTimeOffset JoinedAt);
