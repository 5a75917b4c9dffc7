using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sweep.Web.Tests.Security;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>
/// Issue 15, item 8 over the API and pages: readers download a checkpoint, editors pin and unpin it, other teams see
/// nothing, and the storage summary counts every checkpoint but names only sweeps the caller can read.
/// </summary>
[Collection(SharedHost.Results)]
public sealed class CheckpointApiTests(SweepWebFactory factory)
{
    [Fact]
    public async Task Viewers_download_editors_pin_and_unpin_and_another_team_gets_404()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        await SaveCheckpointAsync(world.TrialB, "deadbeef");
        var pin = $"/api/v1/trials/{world.TrialB}/checkpoint/pin";
        using var viewer = factory.CreateClient(world.ViewerB);
        using var editor = factory.CreateClient(world.EditorB);
        using var stranger = factory.CreateClient(world.OwnerA);

        using (var download = await viewer.GetAsync($"/api/v1/trials/{world.TrialB}/checkpoint"))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/octet-stream", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Convert.FromHexString("deadbeef"), await download.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync(pin, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync(pin, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/trials/{world.TrialB}/checkpoint")).StatusCode);
        Assert.False(await PinnedAsync(world.TrialB));

        Assert.Equal(HttpStatusCode.NoContent, (await editor.PostAsync(pin, null)).StatusCode);
        Assert.True(await PinnedAsync(world.TrialB));
        Assert.True((await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/trials/{world.TrialB}")).GetProperty("checkpointPinned").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync(pin)).StatusCode);
        Assert.True(await PinnedAsync(world.TrialB));

        // The trial is still queued: unpinning keeps the checkpoint, to resume from.
        Assert.Equal(HttpStatusCode.NoContent, (await editor.DeleteAsync(pin)).StatusCode);
        Assert.False(await PinnedAsync(world.TrialB));

        // Once the trial has completed, unpinning deletes the checkpoint; then there is nothing left to pin.
        await factory.Database.ScalarAsync<int>($"UPDATE trials SET state = 'completed' WHERE id = '{world.TrialB}' RETURNING 1");
        Assert.Equal(HttpStatusCode.NoContent, (await editor.PostAsync(pin, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await editor.DeleteAsync(pin)).StatusCode);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM trial_checkpoints WHERE trial_id = '{world.TrialB}'"));
        Assert.Equal(HttpStatusCode.NotFound, (await editor.PostAsync(pin, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/v1/trials/{world.TrialB}/checkpoint")).StatusCode);
    }

    [Fact]
    public async Task The_trial_page_offers_editors_the_pin_and_viewers_only_the_download()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        await SaveCheckpointAsync(world.TrialB, "0102");

        using var editor = await world.SessionAsync(world.EditorB);
        var editorHtml = await editor.GetStringAsync($"/trials/{world.TrialB}");
        Assert.Contains("id=\"download-checkpoint\"", editorHtml);
        Assert.Contains("id=\"pin-checkpoint\"", editorHtml);

        using var viewer = await world.SessionAsync(world.ViewerB);
        var viewerHtml = await viewer.GetStringAsync($"/trials/{world.TrialB}");
        Assert.Contains("id=\"download-checkpoint\"", viewerHtml);
        Assert.DoesNotContain("pin-checkpoint", viewerHtml);
        Assert.Contains("Deleted when the trial completes unless pinned.", viewerHtml);
    }

    [Fact]
    public async Task The_summary_counts_checkpoints_and_bytes_and_names_only_sweeps_the_caller_can_read()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        await SaveCheckpointAsync(world.TrialB, "00112233445566778899");

        using var editor = factory.CreateClient(world.EditorB);
        var summary = await editor.GetFromJsonAsync<JsonElement>("/api/v1/checkpoints/summary");
        Assert.True(summary.GetProperty("count").GetInt64() >= 1);
        Assert.True(summary.GetProperty("bytes").GetInt64() >= 10);
        var sweep = summary.GetProperty("sweeps").EnumerateArray().Single(s => s.GetProperty("sweepId").GetGuid() == world.SweepB);
        Assert.Equal((1L, 10L, world.SweepBName), (sweep.GetProperty("count").GetInt64(), sweep.GetProperty("bytes").GetInt64(), sweep.GetProperty("name").GetString()));

        using var stranger = factory.CreateClient(world.OwnerA);
        var theirs = await stranger.GetFromJsonAsync<JsonElement>("/api/v1/checkpoints/summary");
        Assert.DoesNotContain(theirs.GetProperty("sweeps").EnumerateArray(), s => s.GetProperty("sweepId").GetGuid() == world.SweepB);
        Assert.True(theirs.GetProperty("count").GetInt64() >= 1);

        using var session = await world.SessionAsync(world.EditorB);
        var page = await session.GetStringAsync("/workers");
        Assert.Contains("id=\"checkpoint-storage\"", page);
        Assert.Contains(world.SweepBName, page);
    }

    private Task<int> SaveCheckpointAsync(Guid trial, string hex) => factory.Database.ScalarAsync<int>(
        $"INSERT INTO trial_checkpoints (trial_id, epoch, step, data, created_at) VALUES ('{trial}', 2, 20, '\\x{hex}'::bytea, now()) RETURNING 1");

    private Task<bool> PinnedAsync(Guid trial) =>
        factory.Database.ScalarAsync<bool>($"SELECT pinned FROM trial_checkpoints WHERE trial_id = '{trial}'");
}
