using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sweep.Data;
using Sweep.Data.Archive;
using Sweep.Data.Entities;
using Sweep.Web.Access;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Api;

/// <summary>
/// /api/v1/sweeps/{id}/export: the trials (one row each: grid values, state, failure kind, final metrics, guard metrics
/// and flags), the per-cell aggregates over seeds, and the full metric history, as CSV (header row, invariant culture, NaN/Infinity/-Infinity spelled out) or as a JSON array.
/// Both stream from PostgreSQL to the response as they are read.
/// </summary>
public static class ExportApi
{
    public const string CsvContentType = "text/csv; charset=utf-8";

    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sweeps/{id:guid}/export").WithTags("Export").RequireSweepAccess(ProjectRoles.Viewer).AllowShareLinks();

        // Every export reads a whole sweep: a few at a time per credential (429 with Retry-After beyond).
        group.RequireRateLimiting(HeavyReadLimits.Policy).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/trials.csv", (Guid id, SweepExport export, CancellationToken ct) =>
                ExportAsync(id, export, "trials.csv", CsvContentType, (stream, token) => SweepExport.WriteTrialsCsvAsync(export.TrialsAsync(id, token), stream, token), ct))
            .Produces<string>(StatusCodes.Status200OK, CsvContentType).WithName("ExportTrialsCsv").WithSummary("One row per trial: grid values, state, failure kind, progress, final metrics.");
        group.MapGet("/trials.json", (Guid id, SweepExport export, IOptions<JsonOptions> json, CancellationToken ct) =>
                ExportAsync(id, export, "trials.json", "application/json", (stream, token) => SweepExport.WriteJsonAsync(export.TrialsAsync(id, token), stream, json.Value.SerializerOptions, token), ct))
            .Produces<TrialExportRow[]>(StatusCodes.Status200OK, "application/json").WithName("ExportTrialsJson").WithSummary("The trials as a JSON array.");
        group.MapGet("/metrics.csv", (Guid id, SweepExport export, CancellationToken ct) =>
                ExportAsync(id, export, "metrics.csv", CsvContentType, (stream, token) => SweepExport.WriteMetricsCsvAsync(export.MetricsAsync(id, token), stream, token), ct))
            .Produces<string>(StatusCodes.Status200OK, CsvContentType).WithName("ExportMetricsCsv").WithSummary("The full metric history: one row per (trial, key, step), with the trial's grid values.");
        group.MapGet("/metrics.json", (Guid id, SweepExport export, IOptions<JsonOptions> json, CancellationToken ct) =>
                ExportAsync(id, export, "metrics.json", "application/json", (stream, token) => SweepExport.WriteJsonAsync(export.MetricsAsync(id, token), stream, json.Value.SerializerOptions, token), ct))
            .Produces<MetricExportRow[]>(StatusCodes.Status200OK, "application/json").WithName("ExportMetricsJson").WithSummary("The full metric history as a JSON array.");
        group.MapGet("/cells.csv", (Guid id, SweepSpecQuery specs, TrialResultsQuery trialResults, SweepExport export, CancellationToken ct) =>
                CellsAsync(id, specs, trialResults, export, "cells.csv", CsvContentType, rows => System.Text.Encoding.UTF8.GetBytes(CellExport.ToCsv(rows)), ct))
            .Produces<string>(StatusCodes.Status200OK, CsvContentType).WithName("ExportCellsCsv")
            .WithSummary("One row per (configuration, final metric) over seeds: n, mean, std, 95 % interval, baseline − cell with its interval " +
                         "(paired by seed), withinNoise, and the cell's guard flags. Baseline: B = G = B_ref at regime 1.");
        group.MapGet("/cells.json", (Guid id, SweepSpecQuery specs, TrialResultsQuery trialResults, SweepExport export, IOptions<JsonOptions> json, CancellationToken ct) =>
                CellsAsync(id, specs, trialResults, export, "cells.json", "application/json", rows => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(rows, json.Value.SerializerOptions), ct))
            .Produces<CellExportRow[]>(StatusCodes.Status200OK, "application/json").WithName("ExportCellsJson").WithSummary("The per-cell aggregates as a JSON array.");
        group.MapGet("/archive.sweep.json.gz", ArchiveAsync)
            .Produces<Stream>(StatusCodes.Status200OK, "application/gzip").WithName("ExportSweepArchive")
            .WithSummary("The sweep as a gzipped sweep archive: spec, trials with configuration and environment, full metric history " +
                         "(no checkpoints). The format of the published examples; an installation loads archives from its examples folder.");
        return app;
    }

    /// <summary>Streamed as it is written (<see cref="SweepArchiveExport"/>): the archive of a large sweep is never held whole.</summary>
    private static async Task<Results<PushStreamHttpResult, NotFound>> ArchiveAsync(
        Guid id, HttpContext http, SweepExport export, IDbContextFactory<SweepDbContext> contexts, CancellationToken ct)
    {
        var name = await export.SweepNameAsync(id, ct);
        if (name is null)
        {
            return TypedResults.NotFound();
        }

        Unbuffered(http);
        return TypedResults.Stream(
            async body =>
            {
                await using var db = await contexts.CreateDbContextAsync(ct);
                await SweepArchiveExport.WriteAsync(db, id, key: null, body, ct);
            },
            "application/gzip",
            $"{FileName(name)}.sweep.json.gz");
    }

    /// <summary>Bytes go to the client as they are written, whatever a middleware or server would otherwise buffer.</summary>
    internal static void Unbuffered(HttpContext http) =>
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();

    /// <summary>The per-cell aggregates over seeds, against the default baseline cell (B = G = B_ref, regime 1).</summary>
    private static async Task<Results<FileContentHttpResult, NotFound>> CellsAsync(
        Guid id, SweepSpecQuery specs, TrialResultsQuery trialResults, SweepExport export, string file, string contentType, Func<IReadOnlyList<CellExportRow>, byte[]> write, CancellationToken ct)
    {
        var name = await export.SweepNameAsync(id, ct);
        if (name is null || await specs.SpecAsync(id, ct) is not { } spec || await trialResults.ResultsAsync(id, ct) is not { } results)
        {
            return TypedResults.NotFound();
        }

        var reference = spec.Training.ReferenceBatchSize;
        var rows = CellExport.Rows(results, new Sweep.Domain.Results.BaselineCell(reference, reference, 1));
        return TypedResults.File(write(rows), contentType, $"{FileName(name)}-{file}");
    }

    private static async Task<Results<PushStreamHttpResult, NotFound>> ExportAsync(
        Guid id, SweepExport export, string file, string contentType, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var name = await export.SweepNameAsync(id, ct);
        if (name is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Stream(stream => write(stream, ct), contentType, $"{FileName(name)}-{file}");
    }

    /// <summary>The sweep's name reduced to characters safe in a file name.</summary>
    internal static string FileName(string name)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray()).Trim('-', '.');
        return safe.Length == 0 ? "sweep" : safe[..Math.Min(safe.Length, 80)];
    }
}
