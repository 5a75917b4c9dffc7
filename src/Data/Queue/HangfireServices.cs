using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sweep.Data.Queue;

/// <summary>Hangfire's client services (and the storage a worker's server uses) in a host's container.</summary>
public static class HangfireServices
{
    /// <summary>
    /// Registers the storage as this container's own singleton before Hangfire's, whose default is the process-wide
    /// <see cref="JobStorage.Current"/>: with that default, two hosts in one process over different databases (the
    /// web tests' factories, run in parallel) would enqueue into whichever database was configured last. The job
    /// activator stays process-wide (the last host's): only worker processes, one host each, run jobs.
    /// </summary>
    public static IServiceCollection AddSweepHangfire(this IServiceCollection services, string connectionString)
    {
        HangfireStorage.DisableAutomaticRetries();
        services.AddSingleton(provider =>
        {
            // Hangfire's configuration callback (serialization) must have run before any job is written.
            provider.GetRequiredService<IGlobalConfiguration>();
            return HangfireStorage.Create(connectionString);
        });
        services.AddHangfire((provider, config) => config
            .UseSweepSerialization()
            .UseLogProvider(new HangfireLogProvider(provider.GetRequiredService<ILoggerFactory>())));
        return services;
    }
}
