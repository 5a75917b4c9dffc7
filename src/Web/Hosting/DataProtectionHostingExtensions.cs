using Microsoft.AspNetCore.DataProtection;
using Sweep.Data;

namespace Sweep.Web.Hosting;

/// <summary>
/// The keys that protect session cookies, antiforgery tokens and the Blazor circuit live in PostgreSQL
/// (table data_protection_keys), not in each process's home folder: every replica can read what any replica wrote,
/// and a restarted container does not sign everyone out.
/// </summary>
public static class DataProtectionHostingExtensions
{
    /// <summary>Fixed, so that replicas (and a moved content root) share keys; changing it invalidates every cookie.</summary>
    public const string ApplicationName = "Sweep";

    public static IServiceCollection AddSweepDataProtection(this IServiceCollection services)
    {
        // SweepDbContext is resolvable from DI: AddSweepDbContext's factory registration also registers the context, scoped.
        services.AddDataProtection()
            .PersistKeysToDbContext<SweepDbContext>()
            .SetApplicationName(ApplicationName);
        return services;
    }
}
