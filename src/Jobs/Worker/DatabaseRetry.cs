using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Sweep.Jobs.Worker;

/// <summary>
/// Retries a database write through a PostgreSQL restart or a network blip, for up to about two minutes, so that a
/// trial's metrics are not lost while its trainer keeps running. Writes are idempotent upserts, so a retry after an
/// ambiguous failure is safe.
/// </summary>
public static class DatabaseRetry
{
    public static async Task RunAsync(Func<Task> write, ILogger logger, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write();
                return;
            }
            catch (Exception ex) when (IsTransient(ex) && attempt < 40 && !ct.IsCancellationRequested)
            {
                logger.DatabaseWriteRetried(ex.Message, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), ct);
            }
        }
    }

    private static bool IsTransient(Exception ex) => ex switch
    {
        NpgsqlException { IsTransient: true } => true,
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08006" or "08003" or "08001" } => true,
        SocketException or TimeoutException or IOException => true,
        InvalidOperationException { InnerException: { } inner } => IsTransient(inner),
        _ when ex.InnerException is { } inner => IsTransient(inner),
        _ => false,
    };
}
