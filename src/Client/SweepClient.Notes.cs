using System.Net.Http.Json;

namespace Sweep.Client;

/// <summary>Notes on sweeps and trials, and a sweep's tags (editors).</summary>
public sealed partial class SweepClient
{
    /// <summary>Replaces the sweep's Markdown note (blank clears it); returns it with its sanitized HTML.</summary>
    public async Task<NoteInfo> SetSweepNotesAsync(Guid sweepId, string? markdown, CancellationToken ct = default)
    {
        using var response = await Http.PutAsJsonAsync($"api/v1/sweeps/{sweepId}/notes", new { markdown }, Json, ct);
        return await ReadAsync<NoteInfo>(response, ct);
    }

    /// <summary>Replaces the trial's Markdown note (blank clears it); returns it with its sanitized HTML.</summary>
    public async Task<NoteInfo> SetTrialNotesAsync(Guid trialId, string? markdown, CancellationToken ct = default)
    {
        using var response = await Http.PutAsJsonAsync($"api/v1/trials/{trialId}/notes", new { markdown }, Json, ct);
        return await ReadAsync<NoteInfo>(response, ct);
    }

    /// <summary>Replaces the sweep's tags; returns them as stored (lower-case, without duplicates).</summary>
    public async Task<IReadOnlyList<string>> SetSweepTagsAsync(Guid sweepId, IReadOnlyList<string> tags, CancellationToken ct = default)
    {
        using var response = await Http.PutAsJsonAsync($"api/v1/sweeps/{sweepId}/tags", new { tags }, Json, ct);
        return (await ReadAsync<TagsInfo>(response, ct)).Tags;
    }
}
