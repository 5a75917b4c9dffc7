using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Entities;

namespace Sweep.Web.Access;

/// <summary>
/// Creates local accounts. The first account becomes an administrator and the owner of the default project; later
/// accounts become editors of the default project, so that a new colleague can run sweeps there at once.
/// </summary>
public sealed class Accounts(UserManager<SweepUser> users, RoleManager<IdentityRole<Guid>> roles, IDbContextFactory<SweepDbContext> contexts, TimeProvider clock)
{
    // "First account" must be decided once even when two registrations arrive together.
    private static readonly SemaphoreSlim FirstAccountLock = new(1, 1);

    public async Task<(SweepUser? User, IEnumerable<IdentityError> Errors)> RegisterAsync(string email, string password, CancellationToken ct)
    {
        await FirstAccountLock.WaitAsync(ct);
        try
        {
            var first = !await users.Users.AnyAsync(ct);
            var user = new SweepUser { Id = Guid.CreateVersion7(), UserName = email.Trim(), Email = email.Trim(), CreatedAt = clock.GetUtcNow() };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                return (null, created.Errors);
            }

            if (first)
            {
                if (!await roles.RoleExistsAsync(SweepClaims.AdminRole))
                {
                    await roles.CreateAsync(new IdentityRole<Guid>(SweepClaims.AdminRole) { Id = Guid.CreateVersion7() });
                }

                await users.AddToRoleAsync(user, SweepClaims.AdminRole);
            }

            await using var db = await contexts.CreateDbContextAsync(ct);
            db.ProjectMembers.Add(new ProjectMember
            {
                ProjectId = ProjectRecord.DefaultId,
                UserId = user.Id,
                Role = first ? ProjectRoles.Owner : ProjectRoles.Editor,
                AddedAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(ct);
            return (user, []);
        }
        finally
        {
            FirstAccountLock.Release();
        }
    }

    public Task<bool> AnyAsync(CancellationToken ct) => users.Users.AnyAsync(ct);
}
