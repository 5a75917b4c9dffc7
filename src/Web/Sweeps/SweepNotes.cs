using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// Writes the notes of sweeps and trials and the tags of sweeps: what PUT …/notes, PUT …/tags and the pages' editors
/// call. Access is checked before a call gets here (ApiAccessMiddleware, the page's SweepAccess check).
/// </summary>
public sealed class SweepNotes(IDbContextFactory<SweepDbContext> contexts)
{
    /// <summary>Sets (or, with blank text, clears) a sweep's note; false when there is no such sweep.</summary>
    public async Task<bool> SetSweepNoteAsync(Guid sweepId, string? markdown, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var note = Stored(markdown);
        return await db.Sweeps.Where(s => s.Id == sweepId).ExecuteUpdateAsync(u => u.SetProperty(s => s.Notes, note), ct) > 0;
    }

    /// <summary>Sets (or, with blank text, clears) a trial's note; false when there is no such trial.</summary>
    public async Task<bool> SetTrialNoteAsync(Guid trialId, string? markdown, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var note = Stored(markdown);
        return await db.Trials.Where(t => t.Id == trialId).ExecuteUpdateAsync(u => u.SetProperty(t => t.Notes, note), ct) > 0;
    }

    /// <summary>Replaces a sweep's tags with tags already normalized by <see cref="SweepTags.Normalize"/>; false when there is no such sweep.</summary>
    public async Task<bool> SetTagsAsync(Guid sweepId, IReadOnlyList<string> tags, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var list = tags.ToList();
        return await db.Sweeps.Where(s => s.Id == sweepId).ExecuteUpdateAsync(u => u.SetProperty(s => s.Tags, list), ct) > 0;
    }

    /// <summary>A sweep's note and tags as stored; null when there is no such sweep.</summary>
    public async Task<(string? Notes, IReadOnlyList<string> Tags)?> SweepAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Sweeps.AsNoTracking().Where(s => s.Id == sweepId).Select(s => new { s.Notes, s.Tags }).SingleOrDefaultAsync(ct);
        return row is null ? null : (row.Notes, row.Tags);
    }

    /// <summary>Blank text is no note: the column stays null, so "has a note" is one test.</summary>
    private static string? Stored(string? markdown) => string.IsNullOrWhiteSpace(markdown) ? null : markdown;

    /// <summary>The field errors of a note, keyed as the request body names it.</summary>
    public static Dictionary<string, string[]> Errors(string? markdown) =>
        NoteLimits.Problem(markdown) is { } problem ? new() { ["markdown"] = [problem] } : [];
}
