using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sweep.Data;

namespace Sweep.Web.Sweeps;

/// <summary>
/// A trial's trainer output, one attempt at a time, after a cursor (GET /api/v1/trials/{id}/logs and the trial page's
/// log panel). Chunks come in the order the worker flushed them, both streams interleaved; a page holds at most
/// <see cref="MaxPageBytes"/>, so a client follows the cursor until a page comes back empty.
/// </summary>
public sealed class TrialLogQuery(IDbContextFactory<SweepDbContext> contexts)
{
    public const int MaxPageBytes = 256 * 1024;

    private const int MaxPageChunks = 1000;

    private const string Prefix = "l:";

    /// <summary>Null when the trial does not exist; a page without an attempt when no worker has started it.</summary>
    public async Task<TrialLogPage?> PageAsync(Guid trialId, int? attempt, long after, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Trials.AnyAsync(t => t.Id == trialId, ct))
        {
            return null;
        }

        attempt ??= await db.TrialAttempts.Where(a => a.TrialId == trialId).MaxAsync(a => (int?)a.Number, ct);
        if (attempt is not { } number)
        {
            return new TrialLogPage(null, [], EncodeCursor(after));
        }

        var rows = await db.TrialLogChunks.AsNoTracking()
            .Where(c => c.TrialId == trialId && c.Attempt == number && c.Id > after)
            .OrderBy(c => c.Id).Take(MaxPageChunks)
            .Select(c => new { c.Id, c.Stream, c.StreamOffset, c.Text, c.Bytes, c.At })
            .ToListAsync(ct);
        var chunks = new List<TrialLogChunkView>();
        var bytes = 0L;
        var last = after;
        foreach (var row in rows)
        {
            if (chunks.Count > 0 && bytes + row.Bytes > MaxPageBytes)
            {
                break;
            }

            chunks.Add(new TrialLogChunkView(row.Stream, row.StreamOffset, row.Text, row.At));
            bytes += row.Bytes;
            last = row.Id;
        }

        return new TrialLogPage(number, chunks, EncodeCursor(last));
    }

    public static string EncodeCursor(long after) => Cursor.EncodeText(Prefix + after.ToString(CultureInfo.InvariantCulture));

    /// <summary>The position a cursor of this query holds; 0 (from the start) for none; null for one it never issued.</summary>
    public static long? DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return 0;
        }

        return Cursor.DecodeText(cursor) is { } text && text.StartsWith(Prefix, StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var after)
            ? after
            : null;
    }
}
