using Microsoft.AspNetCore.Identity;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Security;

/// <summary>Identity's rules for a new account, asked before anything is created.</summary>
public static class AccountRules
{
    /// <summary>
    /// What Identity's user validators (a unique, well-formed email) and password validators (length, digit, upper and
    /// lower case) find wrong, in their words; empty when the account could be created. Pass no user to check only the password.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(this UserManager<PortalUser> users, PortalUser? user, string password)
    {
        var problems = new List<string>();
        if (user is not null)
            foreach (var validator in users.UserValidators)
                problems.AddRange((await validator.ValidateAsync(users, user)).Errors.Select(e => e.Description));
        foreach (var validator in users.PasswordValidators)
            problems.AddRange((await validator.ValidateAsync(users, user ?? new PortalUser(), password)).Errors.Select(e => e.Description));
        return problems;
    }

    /// <summary>Identity's "no" as the portal's one way to refuse: an invalid request, in Identity's words.</summary>
    public static void OrRefuse(this IdentityResult result)
    {
        if (!result.Succeeded) throw new Refusal(RefusalKind.Invalid, result.Errors.Select(e => e.Description).ToList());
    }
}
