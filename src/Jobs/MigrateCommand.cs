using Microsoft.Extensions.Configuration;
using Sweep.Data;
using Sweep.Data.Queue;

namespace Sweep.Jobs;

/// <summary><c>migrate</c>: applies EF Core migrations and installs Hangfire's schema, in one step.</summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var connectionString = configuration.GetConnectionString(SweepDatabase.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine("Set ConnectionStrings__Sweep to the PostgreSQL connection string.");
            return 64;
        }

        await SweepDatabase.MigrateAsync(connectionString);
        HangfireStorage.InstallSchema(connectionString);
        Console.WriteLine("Database schema is up to date.");
        return 0;
    }
}
