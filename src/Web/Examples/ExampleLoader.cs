using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Sweep.Data;
using Sweep.Data.Archive;
using Sweep.Data.Entities;

namespace Sweep.Web.Examples;

/// <summary>
/// Loads every example archive that this database has not seen, once, when the platform starts. Each load records
/// the archive's key in example_imports in the same transaction as the sweep, so a restart (or a second web
/// instance starting at the same moment) never loads it twice, and a user who deletes an example keeps it deleted.
/// </summary>
public sealed class ExampleLoader(
    IDbContextFactory<SweepDbContext> contexts,
    IOptions<ExampleOptions> options,
    IHostEnvironment environment,
    ILogger<ExampleLoader> logger) : BackgroundService
{
    public const string Pattern = "*.sweep.json.gz";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await LoadAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The examples are a convenience: a missing table (migrations not applied yet) must not stop the site.
            logger.ExamplesFailed(ex);
        }
    }

    /// <summary>Loads what is new and returns the keys it loaded.</summary>
    public async Task<IReadOnlyList<string>> LoadAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Folder))
        {
            return [];
        }

        var folder = Path.GetFullPath(options.Value.Folder, environment.ContentRootPath);
        if (!Directory.Exists(folder))
        {
            logger.NoExampleFolder(folder);
            return [];
        }

        var loaded = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, Pattern).Order(StringComparer.Ordinal))
        {
            SweepArchive archive;
            try
            {
                await using var stream = File.OpenRead(file);
                archive = await SweepArchiver.ReadAsync(stream, ct);
            }
            catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException or IOException)
            {
                logger.ExampleArchiveUnreadable(ex, file);
                continue;
            }

            var key = archive.Key ?? Path.GetFileName(file);
            await using var db = await contexts.CreateDbContextAsync(ct);
            if (await db.ExampleImports.AnyAsync(e => e.Key == key, ct))
            {
                continue;
            }

            try
            {
                var id = await SweepArchiver.ImportAsync(db, archive, isExample: true, async sweepId =>
                {
                    db.ExampleImports.Add(new ExampleImport { Key = key, SweepId = sweepId, ImportedAt = DateTimeOffset.UtcNow });
                    await db.SaveChangesAsync(ct);
                }, ct);
                logger.ExampleLoaded(key, archive.Trials.Count, id);
                loaded.Add(key);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                logger.ExampleLoadedElsewhere(key);
            }
        }

        return loaded;
    }
}
