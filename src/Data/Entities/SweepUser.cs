using Microsoft.AspNetCore.Identity;

namespace Sweep.Data.Entities;

/// <summary>A local account (ASP.NET Core Identity). Keys are GUIDs like every other Sweep row.</summary>
public sealed class SweepUser : IdentityUser<Guid>
{
    public DateTimeOffset CreatedAt { get; set; }
}
