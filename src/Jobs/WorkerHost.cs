using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sweep.Data;
using Sweep.Data.Queue;
using Sweep.Data.Telemetry;
using Sweep.Domain.Execution;
using Sweep.Jobs.Worker;

namespace Sweep.Jobs;

/// <summary>The worker process: a supervised Hangfire server with one worker thread, serving one device.</summary>
public static class WorkerHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddSweepWorker(builder.Configuration);
        using var host = builder.Build();
        await host.RunAsync();
        return 0;
    }

    public static IServiceCollection AddSweepWorker(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(SweepDatabase.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("Set ConnectionStrings__Sweep to the PostgreSQL connection string.");
        }

        services.AddOptions<WorkerOptions>()
            .Bind(configuration.GetSection(WorkerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSweepDbContext(connectionString);
        services.AddSweepTelemetry(configuration, "sweep-jobs");
        services.AddSingleton<TrialStore>();
        services.AddSingleton<TrainerProcess>();
        services.AddSingleton<WorkerRegistry>();
        services.AddSingleton<WorkerStatus>();
        services.AddSingleton<TrialReaper>();
        services.AddSingleton<QueueSweeper>();
        services.AddTransient<ITrialRunner, TrialRunner>();

        services.AddSweepHangfire(connectionString);

        // The supervisor owns the Hangfire server, so that the worker can pause and resume itself.
        services.AddHostedService<WorkerSupervisor>();
        services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>((host, worker) => host.ShutdownTimeout = worker.Value.HostShutdownTimeout);
        return services;
    }
}
