using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Sweep.Data.Entities;
using Sweep.Domain.Sweeps;

namespace Sweep.Data.Archive;

/// <summary>Reads a <see cref="SweepArchive"/> back in as a new sweep; <see cref="SweepArchiveExport"/> writes one from a stored sweep.</summary>
public static class SweepArchiver
{
    /// <summary>NaN and ±Infinity are metric values like any other (a diverged run's loss), so they round-trip as names.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A stored sweep's header as an archive holds it; <see cref="SweepArchiveExport"/> writes whole archives.</summary>
    internal static ArchivedSweep Archive(SweepRecord sweep) => new(
        sweep.Name, sweep.Dataset, sweep.Model, JsonDocument.Parse(sweep.Spec).RootElement.Clone(), sweep.SkippedCells,
        sweep.CreatedAt, sweep.State, sweep.MaxAttempts, sweep.Queue);

    /// <summary>
    /// Stores the archive as a new sweep (new ids) in one transaction and returns its id. Trials keep their states;
    /// one that was still queued or running when archived comes back cancelled, because nothing will run it.
    /// </summary>
    public static async Task<Guid> ImportAsync(SweepDbContext db, SweepArchive archive, bool isExample, Func<Guid, Task>? beforeCommit, CancellationToken ct)
    {
        if (archive.Format != SweepArchive.CurrentFormat)
        {
            throw new InvalidDataException($"Unknown archive format '{archive.Format}'; this version reads {SweepArchive.CurrentFormat}.");
        }

        // Validates the spec as the API would store it: an archive cannot smuggle in a sweep the API would refuse.
        SweepJson.Deserialize(archive.Sweep.Spec.GetRawText());
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var sweep = new SweepRecord
            {
                Id = Guid.CreateVersion7(),
                Name = archive.Sweep.Name,
                Dataset = archive.Sweep.Dataset,
                Model = archive.Sweep.Model,
                Spec = archive.Sweep.Spec.GetRawText(),
                SkippedCells = archive.Sweep.SkippedCells,
                CreatedAt = archive.Sweep.CreatedAt,
                State = archive.Sweep.State,
                MaxAttempts = archive.Sweep.MaxAttempts,
                Queue = archive.Sweep.Queue,
                IsExample = isExample,
            };
            var trials = archive.Trials.Select(t => (Archived: t, Record: Restore(sweep.Id, t))).ToList();
            sweep.Trials.AddRange(trials.Select(t => t.Record));
            db.Sweeps.Add(sweep);
            await db.SaveChangesAsync(ct);
            await CopyMetricsAsync(db, trials, ct);
            if (beforeCommit is not null)
            {
                await beforeCommit(sweep.Id);
            }

            await transaction.CommitAsync(ct);
            return sweep.Id;
        });
    }

    public static async Task WriteAsync(SweepArchive archive, Stream stream, CancellationToken ct)
    {
        await using var gzip = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        await JsonSerializer.SerializeAsync(gzip, archive, Json, ct);
    }

    /// <summary>Reads an archive, gzipped (recognized by its magic bytes) or plain JSON.</summary>
    public static async Task<SweepArchive> ReadAsync(Stream stream, CancellationToken ct)
    {
        // Archives are a few megabytes: buffering the whole file makes sniffing the format trivial.
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        var gzipped = buffer.Length >= 2 && buffer.GetBuffer()[0] == 0x1f && buffer.GetBuffer()[1] == 0x8b;
        await using Stream source = gzipped ? new GZipStream(buffer, CompressionMode.Decompress, leaveOpen: true) : buffer;
        return await JsonSerializer.DeserializeAsync<SweepArchive>(source, Json, ct)
            ?? throw new InvalidDataException("The archive is empty.");
    }

    /// <summary>A trial with its history, already in columns (keys numbered in <paramref name="keys"/>' order).</summary>
    internal static ArchivedTrial Archive(TrialRecord t, IReadOnlyList<string> keys, ArchivedPoints points) => new(
        t.BatchSize, t.GhostBatchSize, t.RegimeMultiplier, t.Seed, t.LrScaling, t.GbnImplementation, t.RunningStats,
        t.State, t.Attempt, t.Priority, t.CurrentEpoch, t.TotalEpochs,
        t.Config is null ? null : JsonDocument.Parse(t.Config).RootElement.Clone(),
        t.Environment is null ? null : JsonDocument.Parse(t.Environment).RootElement.Clone(),
        t.Error, t.FailureKind, t.CreatedAt, t.StartedAt, t.FinishedAt,
        new ArchivedFinal(t.Final.TrainLoss, t.Final.TrainAccuracy, t.Final.ValLoss, t.Final.ValAccuracy, t.Final.GeneralizationGap, t.Final.WeightDistance, t.Final.Steps, t.Final.WallSeconds),
        keys,
        points);

    private static TrialRecord Restore(Guid sweepId, ArchivedTrial t)
    {
        var terminal = t.State is TrialState.Completed or TrialState.Failed or TrialState.Cancelled;
        return new TrialRecord
        {
            Id = Guid.CreateVersion7(),
            SweepId = sweepId,
            BatchSize = t.BatchSize,
            GhostBatchSize = t.GhostBatchSize,
            RegimeMultiplier = t.RegimeMultiplier,
            Seed = t.Seed,
            LrScaling = t.LrScaling,
            GbnImplementation = t.GbnImplementation,
            RunningStats = t.RunningStats,
            State = terminal ? t.State : TrialState.Cancelled,
            Attempt = t.Attempt,
            Priority = t.Priority,
            CurrentEpoch = t.CurrentEpoch,
            TotalEpochs = t.TotalEpochs,
            Config = t.Config?.GetRawText(),
            Environment = t.Environment?.GetRawText(),
            Error = terminal ? t.Error : "Archived while unfinished; imported as cancelled.",
            FailureKind = t.FailureKind,
            CreatedAt = t.CreatedAt,
            StartedAt = t.StartedAt,
            FinishedAt = terminal ? t.FinishedAt : t.FinishedAt ?? t.StartedAt,
            Final = new FinalMetrics
            {
                TrainLoss = t.Final.TrainLoss,
                TrainAccuracy = t.Final.TrainAccuracy,
                ValLoss = t.Final.ValLoss,
                ValAccuracy = t.Final.ValAccuracy,
                GeneralizationGap = t.Final.GeneralizationGap,
                WeightDistance = t.Final.WeightDistance,
                Steps = t.Final.Steps,
                WallSeconds = t.Final.WallSeconds,
            },
        };
    }

    /// <summary>Binary COPY: an example carries tens of thousands of points, which row-by-row inserts would take seconds over.</summary>
    private static async Task CopyMetricsAsync(SweepDbContext db, List<(ArchivedTrial Archived, TrialRecord Record)> trials, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY metric_points (trial_id, key, step, epoch, value, recorded_at) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (archived, record) in trials)
        {
            var p = archived.Points;
            var origin = record.StartedAt ?? record.CreatedAt;
            for (var i = 0; i < p.Key.Count; i++)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(record.Id, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(archived.MetricKeys[p.Key[i]], NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(p.Step[i], NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(p.Epoch[i], NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(p.Value[i], NpgsqlDbType.Double, ct);
                await writer.WriteAsync(origin.AddMilliseconds(p.Milliseconds[i]).ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
            }
        }

        await writer.CompleteAsync(ct);
    }
}
