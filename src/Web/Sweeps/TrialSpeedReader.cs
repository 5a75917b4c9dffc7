using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Domain.Catalog;
using Sweep.Domain.Planning;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// Measures how fast trials of a model on a dataset run, on the latest completed trials of readable sweeps: the
/// builder's estimate, and the sweep page's ETA and its after-the-run comparison, all price work with this speed
/// through the same Domain arithmetic (<see cref="TrialWork"/>, <see cref="TrialSpeed"/>, <see cref="SweepTimeEstimate"/>).
/// </summary>
public sealed class TrialSpeedReader(IDbContextFactory<SweepDbContext> contexts, Access.SweepAccess access)
{
    /// <summary>The most recent completed trials measured: enough for a stable median, few enough to read per keystroke.</summary>
    private const int Sample = 500;

    /// <summary>
    /// With <paramref name="device"/> cpu or cuda, trials that ran on that device class count, unless there are none.
    /// Only the projects the caller may read count: the estimate would otherwise tell what other teams run, and how fast.
    /// </summary>
    public async Task<MeasuredRate?> MeasureAsync(string model, string dataset, string? device, CancellationToken ct) =>
        await MeasureAsync(model, dataset, device, null, null, ct);

    /// <summary>Measured on one sweep's own completed trials (<paramref name="onlySweep"/>), or on every sweep but one (<paramref name="exceptSweep"/>).</summary>
    public async Task<MeasuredRate?> MeasureAsync(string model, string dataset, string? device, Guid? onlySweep, Guid? exceptSweep, CancellationToken ct)
    {
        if (Datasets.Find(dataset) is not { } info)
        {
            return null;
        }

        var readable = onlySweep is null ? await access.ReadableProjectsAsync(ct) : null;
        var deviceClass = device is "cpu" or "cuda" ? device : null;
        var rate = await RateAsync(model, info, deviceClass, readable, onlySweep, exceptSweep, ct);
        if (rate is null && deviceClass is not null)
        {
            rate = await RateAsync(model, info, null, readable, onlySweep, exceptSweep, ct);
        }

        return rate;
    }

    private async Task<MeasuredRate?> RateAsync(
        string model, DatasetInfo dataset, string? deviceClass, IReadOnlyList<Guid>? readable, Guid? onlySweep, Guid? exceptSweep, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"""
            SELECT t.sweep_id, t.batch_size, t.ghost_batch_size, t.regime_multiplier, t.seed, t.lr_scaling, t.gbn_implementation,
                   t.running_stats, t.final_wall_seconds, EXTRACT(EPOCH FROM t.finished_at - t.started_at)::double precision
              FROM trials t
              JOIN sweeps s ON s.id = t.sweep_id
             WHERE t.state = 'completed' AND s.model = @model AND s.dataset = @dataset AND t.current_epoch > 0
               AND (t.final_wall_seconds IS NOT NULL OR (t.started_at IS NOT NULL AND t.finished_at IS NOT NULL))
               {(deviceClass is null ? "" : "AND t.environment ->> 'device' LIKE @device")}
               {(readable is null ? "" : "AND s.project_id = ANY(@projects)")}
               {(onlySweep is null ? "" : "AND t.sweep_id = @only")}
               {(exceptSweep is null ? "" : "AND t.sweep_id <> @except")}
             ORDER BY t.finished_at DESC NULLS LAST
             LIMIT {Sample}
            """;
        command.Parameters.Add(new Npgsql.NpgsqlParameter("model", model));
        command.Parameters.Add(new Npgsql.NpgsqlParameter("dataset", dataset.Name));
        if (deviceClass is not null)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter("device", deviceClass + "%"));
        }

        if (readable is not null)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter("projects", readable.ToArray()));
        }

        if (onlySweep is { } only)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter("only", only));
        }

        if (exceptSweep is { } except)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter("except", except));
        }

        var rows = new List<(Guid SweepId, TrialCell Cell, double? Trainer, double? Elapsed)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var cell = new TrialCell(reader.GetInt32(1), reader.GetInt32(2), reader.GetDouble(3), reader.GetInt32(4),
                    ApiNames.Parse<LrScaling>(reader.GetString(5)), ApiNames.Parse<GbnImplementation>(reader.GetString(6)),
                    ApiNames.Parse<RunningStatsPolicy>(reader.GetString(7)));
                rows.Add((reader.GetGuid(0), cell, reader.IsDBNull(8) ? null : reader.GetDouble(8), reader.IsDBNull(9) ? null : reader.GetDouble(9)));
            }
        }

        if (rows.Count == 0)
        {
            return null;
        }

        var sweepIds = rows.Select(r => r.SweepId).Distinct().ToList();
        var specs = (await db.Sweeps.AsNoTracking().Where(s => sweepIds.Contains(s.Id)).Select(s => new { s.Id, s.Spec }).ToListAsync(ct))
            .ToDictionary(s => s.Id, s => SweepJson.Deserialize(s.Spec).Training);
        var measured = rows.Select(r => new MeasuredTrial(TrialWork.Of(r.Cell, specs[r.SweepId], dataset), r.Trainer, r.Elapsed));
        return TrialSpeed.Measure(measured) is { } speed ? new MeasuredRate(speed, deviceClass) : null;
    }
}
