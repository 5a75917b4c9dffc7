using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Data.Commands;

namespace Sweep.Data;

/// <summary>The one way every process configures its EF Core connection to Sweep's PostgreSQL.</summary>
public static class SweepDatabase
{
    public const string ConnectionStringName = "Sweep";

    /// <summary>The migrations are a separate assembly (top-level <c>migrations/</c>); every host that migrates references it.</summary>
    public const string MigrationsAssembly = "Sweep.Migrations";

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql
                .EnableRetryOnFailure(maxRetryCount: 5)
                .MigrationsAssembly(MigrationsAssembly)
                .MigrationsHistoryTable("ef_migrations_history"))
            .UseSnakeCaseNamingConvention();

    /// <summary>The context factory, and the named state commands over it (src/Data/Commands), for every host.</summary>
    public static IServiceCollection AddSweepDbContext(this IServiceCollection services, string connectionString) =>
        services.AddDbContextFactory<SweepDbContext>(options => Configure(options, connectionString))
            .AddSingleton<TrialCommands>()
            .AddSingleton<SweepCommands>()
            .AddSingleton<WorkerCommands>()
            .AddSingleton<TrialLogCommands>();

    /// <summary>Applies every pending EF migration.</summary>
    public static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var options = new DbContextOptionsBuilder<SweepDbContext>();
        Configure(options, connectionString);
        await using var db = new SweepDbContext(options.Options);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
