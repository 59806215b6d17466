using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Classes;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Data;

/// <summary>
/// First start of an empty database: roles, an admin, a demo instructor with a demo class, and a demo student in it.
/// Their sign-in names and passwords are printed once. <c>Seed:DemoPassword</c> fixes the password for scripts and tests.
/// </summary>
public sealed class DemoSeeder(
    PortalDbContext db,
    UserManager<PortalUser> users,
    RoleManager<IdentityRole> roles,
    Microsoft.Extensions.Options.IOptions<SeedOptions> seed,
    ILogger<DemoSeeder> log)
{
    public const string AdminEmail = "admin@portal.local", InstructorEmail = "instructor@portal.local", StudentEmail = "student@portal.local";
    public const string DemoCourseName = "Demo class: pediatric chest X-rays";
    /// <summary>The demo accounts, whose home page reminds them to change the printed password.</summary>
    public static readonly IReadOnlyList<string> DemoEmails = [AdminEmail, InstructorEmail, StudentEmail];

    /// <summary>Makes the roles, and on a portal without accounts the demo accounts and class; true when it made them now.</summary>
    public async Task<bool> SeedAsync()
    {
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
        if (await users.Users.AnyAsync()) return false;

        var fixedPassword = seed.Value.DemoPassword;
        if (!string.IsNullOrEmpty(fixedPassword) && await users.ProblemsAsync(null, fixedPassword) is { Count: > 0 } problems)
            throw new PortalStartupException(
                $"Seed:DemoPassword (environment Seed__DemoPassword) does not meet the password rules: {string.Join(" ", problems)} " +
                "Choose one such as Change-me-2026, or leave it unset to get a random password for each demo account.");
        var accounts = new List<(string Email, string Role, string Password)>();
        foreach (var (email, name, role) in new[]
                 {
                     (AdminEmail, "Portal admin", Roles.Admin),
                     (InstructorEmail, "Demo instructor", Roles.Instructor),
                     (StudentEmail, "Demo student", Roles.Student),
                 })
        {
            var password = string.IsNullOrEmpty(fixedPassword) ? NewPassword() : fixedPassword;
            var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
            var result = await users.CreateAsync(user, password);
            if (!result.Succeeded)
                throw new InvalidOperationException($"Could not create the demo account {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
            await users.AddToRoleAsync(user, role);
            accounts.Add((email, role, password));
        }

        var instructor = await users.FindByEmailAsync(InstructorEmail);
        var student = await users.FindByEmailAsync(StudentEmail);
        var course = new Course { Name = DemoCourseName, JoinCode = await CourseService.NewJoinCodeAsync(db), CreatedById = instructor!.Id };
        course.Members.Add(new CourseMember { UserId = instructor.Id, Role = CourseRole.Instructor });
        course.Members.Add(new CourseMember { UserId = student!.Id, Role = CourseRole.Student });
        db.Courses.Add(course);
        await db.SaveChangesAsync();

        var lines = new List<string> { "", "=== PneumoniaPortal demo accounts (shown once; change each password under My account, /Account/Manage) ===" };
        lines.AddRange(accounts.Select(a => $"  {a.Role,-10} {a.Email,-26} password: {a.Password}"));
        lines.Add($"  Demo class '{course.Name}', join code {course.JoinCode}");
        lines.Add("  The admin invites instructors and hands out password-reset links under People (/admin/people).");
        lines.Add("==========================================================================================");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
        log.LogInformation("Seeded demo accounts {Accounts} and class {Course}", string.Join(", ", accounts.Select(a => a.Email)), course.Name);
        return true;
    }

    static string NewPassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = Enumerable.Range(0, 14).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray();
        // Identity's rules: at least one digit, one lower- and one upper-case letter.
        chars[3] = "23456789"[RandomNumberGenerator.GetInt32(8)];
        chars[7] = "abcdefghijkmnpqrstuvwxyz"[RandomNumberGenerator.GetInt32(24)];
        chars[11] = "ABCDEFGHJKLMNPQRSTUVWXYZ"[RandomNumberGenerator.GetInt32(24)];
        return new string(chars);
    }
}
