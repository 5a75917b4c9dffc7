using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Sweep.Data.Entities;

namespace Sweep.Data.Configurations;

/// <summary>Identity's tables under short names (users, roles, …) instead of asp_net_users and friends.</summary>
internal static class IdentityTableNames
{
    public static void Apply(ModelBuilder model)
    {
        model.Entity<SweepUser>().ToTable("users");
        model.Entity<IdentityRole<Guid>>().ToTable("roles");
        model.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        model.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        model.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        model.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        model.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");
    }
}
