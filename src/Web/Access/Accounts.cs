using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sweep.Data;
using Sweep.Data.Entities;

namespace Sweep.Web.Access;

/// <summary>
/// Creates local accounts under the deployment's registration mode (<see cref="AccountOptions"/>). A new account has
/// no role in any project: an invite grants its project's role on use, and the first administrator's setup code (or
/// SWEEP_ADMIN_EMAIL / SWEEP_ADMIN_PASSWORD, through <see cref="RegisterAdministratorAsync"/>) makes the administrator,
/// the owner of the default project. Everyone else gets a role when an owner grants one.
/// </summary>
public sealed class Accounts(
    UserManager<SweepUser> users, RoleManager<IdentityRole<Guid>> roles, IDbContextFactory<SweepDbContext> contexts,
    Invites invites, IOptions<AccountOptions> options, TimeProvider clock)
{
    // "Is there an administrator yet" must be decided once even when two registrations arrive together.
    private static readonly SemaphoreSlim RegistrationLock = new(1, 1);

    public string Mode => options.Value.Registration;

    /// <summary>Registration through the form: needs an open deployment, a usable invite, or the setup code.</summary>
    public async Task<(SweepUser? User, IEnumerable<IdentityError> Errors)> RegisterAsync(string email, string password, string? code, CancellationToken ct)
    {
        email = email.Trim();
        if (!options.Value.DomainAllowed(email))
        {
            return Refused("EmailDomain", "This deployment does not accept accounts of that e-mail domain.");
        }

        InviteRecord? invite = null;
        if (!string.IsNullOrWhiteSpace(code))
        {
            invite = await invites.FindUsableAsync(code.Trim(), ct);
            if (invite is null || !await MakerMayStillInviteAsync(invite, ct))
            {
                return Refused("InvalidCode", "The invite or setup code is unknown, used, revoked or expired.");
            }

            if (invite.Email is { } only && !string.Equals(only, email, StringComparison.OrdinalIgnoreCase))
            {
                return Refused("InviteEmail", "This invite is for another e-mail address.");
            }
        }
        else if (Mode != AccountOptions.Open)
        {
            return Refused("RegistrationClosed", Mode == AccountOptions.Invite
                ? "Registration needs an invite link from a project owner or an administrator."
                : "Registration is closed on this deployment; an administrator adds accounts with invite links.");
        }

        await RegistrationLock.WaitAsync(ct);
        try
        {
            if (invite is { GrantsAdmin: true } && (await users.GetUsersInRoleAsync(SweepClaims.AdminRole)).Count > 0)
            {
                return Refused("InvalidCode", "The invite or setup code is unknown, used, revoked or expired.");
            }

            var (user, errors) = await CreateAsync(email, password);
            if (user is null)
            {
                return (null, errors);
            }

            if (invite is not null && !await invites.ClaimAsync(invite.Id, user.Id, ct))
            {
                await users.DeleteAsync(user); // another registration used it a moment ago: single use
                return Refused("InvalidCode", "The invite or setup code is unknown, used, revoked or expired.");
            }

            if (invite is { GrantsAdmin: true })
            {
                await MakeAdministratorAsync(user, ct);
            }
            else if (invite is { ProjectId: { } project, Role: { } role })
            {
                await AddMemberAsync(project, user.Id, role, ct);
            }

            return (user, []);
        }
        finally
        {
            RegistrationLock.Release();
        }
    }

    /// <summary>
    /// The administrator that the operator names in SWEEP_ADMIN_EMAIL / SWEEP_ADMIN_PASSWORD: the operator's explicit
    /// choice, so neither the registration mode nor the domain allow-list applies.
    /// </summary>
    public async Task<(SweepUser? User, IEnumerable<IdentityError> Errors)> RegisterAdministratorAsync(string email, string password, CancellationToken ct)
    {
        await RegistrationLock.WaitAsync(ct);
        try
        {
            var (user, errors) = await CreateAsync(email.Trim(), password);
            if (user is not null)
            {
                await MakeAdministratorAsync(user, ct);
                await invites.RevokeSetupCodesAsync(ct);
            }

            return (user, errors);
        }
        finally
        {
            RegistrationLock.Release();
        }
    }

    public Task<bool> AnyAsync(CancellationToken ct) => users.Users.AnyAsync(ct);

    /// <summary>
    /// An invite is a grant its maker makes: it counts only while the maker could still make it, so demoting or removing
    /// an owner (or an administrator) also disarms their unused invites. In a closed deployment only administrators' count.
    /// </summary>
    private async Task<bool> MakerMayStillInviteAsync(InviteRecord invite, CancellationToken ct)
    {
        if (invite.GrantsAdmin)
        {
            return true; // the setup code has no maker; it works only while no administrator exists
        }

        if (invite.CreatedBy is not { } maker || await users.FindByIdAsync(maker.ToString()) is not { } user)
        {
            return false;
        }

        if (await users.IsInRoleAsync(user, SweepClaims.AdminRole))
        {
            return true;
        }

        if (Mode == AccountOptions.Closed || invite.ProjectId is not { } project)
        {
            return false;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ProjectMembers.AnyAsync(m => m.ProjectId == project && m.UserId == maker && m.Role == ProjectRoles.Owner, ct);
    }

    private async Task<(SweepUser? User, IEnumerable<IdentityError> Errors)> CreateAsync(string email, string password)
    {
        var user = new SweepUser { Id = Guid.CreateVersion7(), UserName = email, Email = email, CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(user, password);
        return created.Succeeded ? (user, []) : (null, created.Errors);
    }

    private async Task MakeAdministratorAsync(SweepUser user, CancellationToken ct)
    {
        if (!await roles.RoleExistsAsync(SweepClaims.AdminRole))
        {
            await roles.CreateAsync(new IdentityRole<Guid>(SweepClaims.AdminRole) { Id = Guid.CreateVersion7() });
        }

        await users.AddToRoleAsync(user, SweepClaims.AdminRole);
        await AddMemberAsync(ProjectRecord.DefaultId, user.Id, ProjectRoles.Owner, ct);
    }

    private async Task AddMemberAsync(Guid projectId, Guid userId, string role, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ProjectMembers.Add(new ProjectMember { ProjectId = projectId, UserId = userId, Role = role, AddedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
    }

    private static (SweepUser?, IEnumerable<IdentityError>) Refused(string code, string description) =>
        (null, [new IdentityError { Code = code, Description = description }]);
}
