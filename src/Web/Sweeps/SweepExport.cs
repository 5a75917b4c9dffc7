using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Entities;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// One trial as exported: grid values, state, failure, progress, final (latest) metrics, and the guard metrics (their
/// latest recorded values) with the flags they raise. generalizationGap is the trial's own train − val accuracy.
/// </summary>
public sealed record TrialExportRow(
    Guid TrialId,
    int BatchSize,
    int GhostBatchSize,
    double RegimeMultiplier,
    int Seed,
    string LrScaling,
    string GbnImplementation,
    string RunningStats,
    string State,
    string? FailureKind,
    int CurrentEpoch,
    int TotalEpochs,
    int Attempt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? TrainLoss,
    double? TrainAccuracy,
    double? ValLoss,
    double? ValAccuracy,
    double? GeneralizationGap,
    double? WeightDistance,
    long? Steps,
    double? WallSeconds,
    string? Error,
    double? RunningTrainAccuracy,
    double? RunningStatsInitialWeight,
    double? TrainEvalModeDelta,
    double? PeakRssMiB,
    double? CpuSeconds)
{
    /// <summary>The artifact guards the trial's recorded values raise (<see cref="GuardFlags"/>).</summary>
    public IReadOnlyList<string> Flags => Guards.ForTrial(GuardInputs());

    private Dictionary<string, double> GuardInputs()
    {
        var inputs = new Dictionary<string, double>();
        void Add(string key, double? value)
        {
            if (value is { } v)
            {
                inputs[key] = v;
            }
        }

        Add(MetricNames.Steps, Steps);
        Add(MetricNames.RunningStatsInitialWeight, RunningStatsInitialWeight);
        Add(MetricNames.TrainEvalModeDelta, TrainEvalModeDelta);
        return inputs;
    }
}

/// <summary>One recorded metric value with its trial's grid values, so that the file stands on its own.</summary>
public sealed record MetricExportRow(
    Guid TrialId,
    int BatchSize,
    int GhostBatchSize,
    double RegimeMultiplier,
    int Seed,
    string LrScaling,
    string GbnImplementation,
    string RunningStats,
    string Key,
    long Step,
    int Epoch,
    double Value,
    DateTimeOffset RecordedAt);

/// <summary>
/// Exports a sweep's trials and full metric history as CSV or JSON. Rows stream from PostgreSQL to the response:
/// nothing but the current row is held, whatever the size of the history.
/// </summary>
public sealed class SweepExport(IDbContextFactory<SweepDbContext> contexts)
{
    private const string GridColumns = TrialGridSql.Columns;

    private const string GridOrder = TrialGridSql.Order;

    private static readonly string[] TrialHeader =
    [
        "trialId", "batchSize", "ghostBatchSize", "regimeMultiplier", "seed", "lrScaling", "gbnImplementation", "runningStats",
        "state", "failureKind", "currentEpoch", "totalEpochs", "attempt", "startedAt", "finishedAt",
        "trainLoss", "trainAccuracy", "valLoss", "valAccuracy", "generalizationGap", "weightDistance", "steps", "wallSeconds", "error",
        "runningTrainAccuracy", "runningStatsInitialWeight", "trainEvalModeDelta", "peakRssMiB", "cpuSeconds", "flags",
    ];

    private static readonly string[] MetricHeader =
    [
        "trialId", "batchSize", "ghostBatchSize", "regimeMultiplier", "seed", "lrScaling", "gbnImplementation", "runningStats",
        "key", "step", "epoch", "value", "recordedAt",
    ];

    /// <summary>The sweep's name (for file names), or null when it does not exist.</summary>
    public async Task<string?> SweepNameAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Sweeps.Where(s => s.Id == sweepId).Select(s => s.Name).SingleOrDefaultAsync(ct);
    }

    /// <summary>The sweep's trials in grid order.</summary>
    public IAsyncEnumerable<TrialExportRow> TrialsAsync(Guid sweepId, CancellationToken ct) =>
        StreamingQuery.ReadAsync(
            contexts,
            $"""
            SELECT t.id, {GridColumns}, t.state, t.failure_kind, t.current_epoch, t.total_epochs, t.attempt,
                   t.started_at, t.finished_at, t.final_train_loss, t.final_train_accuracy, t.final_val_loss,
                   t.final_val_accuracy, t.final_generalization_gap, t.final_weight_distance, t.final_steps,
                   t.final_wall_seconds, t.error,
                   {LatestValue(MetricNames.RunningTrainAccuracy)}, {LatestValue(MetricNames.RunningStatsInitialWeight)},
                   {LatestValue(MetricNames.TrainEvalModeDelta)},
                   COALESCE((t.config->>'bnMomentum')::float8, 0.1), COALESCE(t.config->>'evalStatistics', 'running'),
                   {LatestValue(MetricNames.PeakRssMiB)}, {LatestValue(MetricNames.CpuSeconds)}
              FROM trials t
             WHERE t.sweep_id = @sweep
             ORDER BY {GridOrder}
            """,
            new Dictionary<string, object> { ["sweep"] = sweepId },
            r => new TrialExportRow(
                r.GetGuid(0), r.GetInt32(1), r.GetInt32(2), r.GetDouble(3), r.GetInt32(4), r.GetString(5), r.GetString(6), r.GetString(7),
                r.GetString(8), NullableString(r, 9), r.GetInt32(10), r.GetInt32(11), r.GetInt32(12),
                NullableTime(r, 13), NullableTime(r, 14), NullableDouble(r, 15), NullableDouble(r, 16), NullableDouble(r, 17),
                NullableDouble(r, 18), NullableDouble(r, 19), NullableDouble(r, 20), r.IsDBNull(21) ? null : r.GetInt64(21),
                NullableDouble(r, 22), NullableString(r, 23), NullableDouble(r, 24),
                NullableDouble(r, 25) ?? DerivedInitialWeight(r),
                NullableDouble(r, 26) ?? NullableDouble(r, 24) - NullableDouble(r, 16),
                NullableDouble(r, 29), NullableDouble(r, 30)),
            ct);

    /// <summary>
    /// For a trial that finished before the trainer recorded the guard inputs (the old examples), they are derived as
    /// the API's views do (<see cref="Guards.WithDerivedInputs"/>): the weight from its steps with the guard's formula
    /// (here), and the train/eval difference from its running and clean train accuracies (above).
    /// </summary>
    private static double? DerivedInitialWeight(DbDataReader r) =>
        r.IsDBNull(21)
            ? null
            : Guards.InitialStatsWeight(
                ApiNames.Parse<RunningStatsPolicy>(r.GetString(7)), ApiNames.Parse<GbnImplementation>(r.GetString(6)),
                ApiNames.TryParse<EvalStatistics>(r.GetString(28)) ?? EvalStatistics.Running,
                r.GetInt32(1), r.GetInt32(2), r.GetDouble(27), r.GetInt64(21));

    /// <summary>A trial's latest recorded value of a guard key (a constant, never user input), as a scalar subquery.</summary>
    private static string LatestValue(string key) =>
        $"(SELECT m.value FROM metric_points m WHERE m.trial_id = t.id AND m.key = '{key}' ORDER BY m.step DESC LIMIT 1)";

    /// <summary>Every recorded metric point of the sweep, by trial, key and step.</summary>
    public IAsyncEnumerable<MetricExportRow> MetricsAsync(Guid sweepId, CancellationToken ct) =>
        StreamingQuery.ReadAsync(
            contexts,
            $"""
            SELECT m.trial_id, {GridColumns}, m.key, m.step, m.epoch, m.value, m.recorded_at
              FROM metric_points m
              JOIN trials t ON t.id = m.trial_id
             WHERE t.sweep_id = @sweep
             ORDER BY m.trial_id, m.key, m.step
            """,
            new Dictionary<string, object> { ["sweep"] = sweepId },
            r => new MetricExportRow(
                r.GetGuid(0), r.GetInt32(1), r.GetInt32(2), r.GetDouble(3), r.GetInt32(4), r.GetString(5), r.GetString(6), r.GetString(7),
                r.GetString(8), r.GetInt64(9), r.GetInt32(10), r.GetDouble(11), r.GetFieldValue<DateTimeOffset>(12)),
            ct);

    public static Task WriteTrialsCsvAsync(IAsyncEnumerable<TrialExportRow> rows, Stream output, CancellationToken ct) =>
        WriteCsvAsync(rows, TrialHeader, t => Csv.Line(
            t.TrialId.ToString(), Csv.Number(t.BatchSize), Csv.Number(t.GhostBatchSize), Csv.Number(t.RegimeMultiplier), Csv.Number(t.Seed),
            Csv.Text(t.LrScaling), Csv.Text(t.GbnImplementation), Csv.Text(t.RunningStats), Csv.Text(t.State), Csv.Text(t.FailureKind),
            Csv.Number(t.CurrentEpoch), Csv.Number(t.TotalEpochs), Csv.Number(t.Attempt), Csv.Time(t.StartedAt), Csv.Time(t.FinishedAt),
            Csv.Number(t.TrainLoss), Csv.Number(t.TrainAccuracy), Csv.Number(t.ValLoss), Csv.Number(t.ValAccuracy),
            Csv.Number(t.GeneralizationGap), Csv.Number(t.WeightDistance), Csv.Number(t.Steps), Csv.Number(t.WallSeconds), Csv.Text(t.Error),
            Csv.Number(t.RunningTrainAccuracy), Csv.Number(t.RunningStatsInitialWeight), Csv.Number(t.TrainEvalModeDelta),
            Csv.Number(t.PeakRssMiB), Csv.Number(t.CpuSeconds), Csv.Text(string.Join(';', t.Flags))),
            output, ct);

    public static Task WriteMetricsCsvAsync(IAsyncEnumerable<MetricExportRow> rows, Stream output, CancellationToken ct) =>
        WriteCsvAsync(rows, MetricHeader, m => Csv.Line(
            m.TrialId.ToString(), Csv.Number(m.BatchSize), Csv.Number(m.GhostBatchSize), Csv.Number(m.RegimeMultiplier), Csv.Number(m.Seed),
            Csv.Text(m.LrScaling), Csv.Text(m.GbnImplementation), Csv.Text(m.RunningStats),
            Csv.Text(m.Key), Csv.Number(m.Step), Csv.Number(m.Epoch), Csv.Number(m.Value), Csv.Time(m.RecordedAt)),
            output, ct);

    /// <summary>A JSON array written element by element; the serializer flushes to the stream as its buffer fills.</summary>
    public static Task WriteJsonAsync<T>(IAsyncEnumerable<T> rows, Stream output, JsonSerializerOptions options, CancellationToken ct) =>
        JsonSerializer.SerializeAsync(output, rows, options, ct);

    private static async Task WriteCsvAsync<T>(IAsyncEnumerable<T> rows, string[] header, Func<T, string> line, Stream output, CancellationToken ct)
    {
        // Only asynchronous writes: the writer's buffer goes to the response with WriteAsync when it fills.
        var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync(Csv.Line(header));
            await foreach (var row in rows.WithCancellation(ct))
            {
                await writer.WriteAsync(line(row));
            }

            await writer.FlushAsync(ct);
        }
    }

    private static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static double? NullableDouble(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    private static DateTimeOffset? NullableTime(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}
