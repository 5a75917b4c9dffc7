namespace Sweep.Client;

/// <summary>A trial's detail, its trainer output and its checkpoint.</summary>
public sealed partial class SweepClient
{
    public Task<TrialDetailInfo> GetTrialAsync(Guid trialId, CancellationToken ct = default) => GetAsync<TrialDetailInfo>($"api/v1/trials/{trialId}", ct);

    /// <summary>
    /// An attempt's trainer output (stdout and stderr) stored after <paramref name="after"/> (null: from the oldest
    /// kept), the latest attempt unless <paramref name="attempt"/> names one. Pass the returned cursor back for what
    /// comes next; an empty text means nothing new yet.
    /// </summary>
    public async Task<TrialLogText> GetTrialLogsAsync(Guid trialId, string? after = null, int? attempt = null, CancellationToken ct = default)
    {
        var query = new List<string>();
        if (after is not null)
        {
            query.Add("after=" + Uri.EscapeDataString(after));
        }

        if (attempt is { } number)
        {
            query.Add("attempt=" + number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await Http.GetAsync($"api/v1/trials/{trialId}/logs" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), ct);
        await EnsureSuccessAsync(response, ct);
        var cursor = response.Headers.TryGetValues("Sweep-Log-Cursor", out var cursors) ? cursors.First() : after ?? "";
        int? from = response.Headers.TryGetValues("Sweep-Log-Attempt", out var attempts)
            && int.TryParse(attempts.First(), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
        return new TrialLogText(await response.Content.ReadAsStringAsync(ct), cursor, from);
    }

    /// <summary>The trial's latest checkpoint (model, optimizer, epoch) as stored.</summary>
    public async Task<byte[]> GetCheckpointAsync(Guid trialId, CancellationToken ct = default)
    {
        using var response = await Http.GetAsync($"api/v1/trials/{trialId}/checkpoint", ct);
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    /// <summary>Pins the trial's checkpoint, so that it is kept when the trial ends (editors).</summary>
    public Task PinCheckpointAsync(Guid trialId, CancellationToken ct = default) => PostAsync($"api/v1/trials/{trialId}/checkpoint/pin", ct);

    /// <summary>Unpins it; the checkpoint of a trial that has ended for good is deleted at once.</summary>
    public Task UnpinCheckpointAsync(Guid trialId, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Delete, $"api/v1/trials/{trialId}/checkpoint/pin", ct);

    /// <summary>Count and bytes of the stored checkpoints, and per sweep for the largest sweeps you can read.</summary>
    public Task<CheckpointSummaryInfo> GetCheckpointSummaryAsync(CancellationToken ct = default) =>
        GetAsync<CheckpointSummaryInfo>("api/v1/checkpoints/summary", ct);
}
