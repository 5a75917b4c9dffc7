using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Sweep.Data;

namespace Sweep.Web.Sweeps;

/// <summary>
/// Reads a query row by row straight from Npgsql's data reader. EF buffers every result set in memory when a
/// retrying execution strategy is configured (as Sweep's is), so metric histories of millions of rows are read
/// here, on the context's connection, without EF's materializer.
/// </summary>
internal static class StreamingQuery
{
    public static async IAsyncEnumerable<T> ReadAsync<T>(
        IDbContextFactory<SweepDbContext> contexts,
        string sql,
        IReadOnlyDictionary<string, object> parameters,
        Func<DbDataReader, T> map,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                yield return map(reader);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
