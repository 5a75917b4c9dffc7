using System.Buffers;
using System.Data.Common;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Sweep.Data.Entities;
using Sweep.Domain.Sweeps;

namespace Sweep.Data.Archive;

/// <summary>
/// Writes a stored sweep as a gzipped <see cref="SweepArchive"/> straight to a stream, trial by trial: the document
/// is never built whole, so a sweep with millions of metric points costs the memory of its largest trial's history
/// (as compact columns), not of the archive. The result reads back with <see cref="SweepArchiver.ReadAsync"/>.
/// </summary>
public static class SweepArchiveExport
{
    /// <summary>Trials loaded per query: bounded memory for the rows, few round trips for sweeps of thousands.</summary>
    private const int TrialBatch = 100;

    /// <summary>JSON held before it goes on to the compressor and the client.</summary>
    private const int FlushBytes = 64 * 1024;

    /// <summary>Writes the archive; false (and nothing written) when the sweep does not exist.</summary>
    public static async Task<bool> WriteAsync(SweepDbContext db, Guid sweepId, string? key, Stream output, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var sweep = await db.Sweeps.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sweepId, ct);
        if (sweep is null)
        {
            return false;
        }

        var trialIds = await db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId).OrderByGrid().Select(t => t.Id).ToListAsync(ct);
        await using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);

        // The serializer flushes its writer synchronously, and a response refuses synchronous writes: JSON goes to
        // memory, a trial at a time, and from there asynchronously to the compressor.
        var buffer = new ArrayBufferWriter<byte>(2 * FlushBytes);
        await using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = SweepArchiver.Json.Encoder });
        async Task DrainAsync()
        {
            await json.FlushAsync(ct);
            await gzip.WriteAsync(buffer.WrittenMemory, ct);
            buffer.ResetWrittenCount();
        }

        json.WriteStartObject();
        json.WriteString(Name(nameof(SweepArchive.Format)), SweepArchive.CurrentFormat);
        if (key is not null)
        {
            json.WriteString(Name(nameof(SweepArchive.Key)), key);
        }

        json.WritePropertyName(Name(nameof(SweepArchive.Sweep)));
        JsonSerializer.Serialize(json, SweepArchiver.Archive(sweep), SweepArchiver.Json);
        json.WriteStartArray(Name(nameof(SweepArchive.Trials)));

        // The client gets the headers and the first bytes now, before the metric history is read.
        await DrainAsync();
        await gzip.FlushAsync(ct);
        foreach (var batch in trialIds.Chunk(TrialBatch))
        {
            var trials = await db.Trials.AsNoTracking().Where(t => batch.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
            foreach (var id in batch)
            {
                var trial = trials[id];
                var (keys, points) = await PointsAsync(db.Database.GetDbConnection(), trial, ct);
                JsonSerializer.Serialize(json, SweepArchiver.Archive(trial, keys, points), SweepArchiver.Json);
                if (buffer.WrittenCount > FlushBytes)
                {
                    await DrainAsync();
                }
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await DrainAsync();
        return true;
    }

    /// <summary>
    /// One trial's history by step and key, read row by row into columns (no entity per point); keys are numbered in
    /// ordinal order, as <see cref="ArchivedTrial.MetricKeys"/> lists them.
    /// </summary>
    private static async Task<(IReadOnlyList<string> Keys, ArchivedPoints Points)> PointsAsync(DbConnection connection, TrialRecord trial, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, step, epoch, value, recorded_at FROM metric_points WHERE trial_id = @trial ORDER BY step, key";
        command.Parameters.Add(new NpgsqlParameter("trial", trial.Id));
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        List<int> key = [];
        List<long> step = [];
        List<int> epoch = [];
        List<double> value = [];
        List<long> milliseconds = [];
        var origin = trial.StartedAt ?? trial.CreatedAt;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var name = reader.GetString(0);
                if (!seen.TryGetValue(name, out var index))
                {
                    seen.Add(name, index = seen.Count);
                }

                key.Add(index);
                step.Add(reader.GetInt64(1));
                epoch.Add(reader.GetInt32(2));
                value.Add(reader.GetDouble(3));
                milliseconds.Add((long)(reader.GetFieldValue<DateTimeOffset>(4) - origin).TotalMilliseconds);
            }
        }

        var keys = seen.Keys.Order(StringComparer.Ordinal).ToList();
        var renumber = new int[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            renumber[seen[keys[i]]] = i;
        }

        for (var i = 0; i < key.Count; i++)
        {
            key[i] = renumber[key[i]];
        }

        return (keys, new ArchivedPoints(key, step, epoch, value, milliseconds));
    }

    private static string Name(string property) => SweepArchiver.Json.PropertyNamingPolicy?.ConvertName(property) ?? property;
}
