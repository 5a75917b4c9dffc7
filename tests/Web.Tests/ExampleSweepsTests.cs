using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Data.Archive;
using Sweep.Web.Examples;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests;

/// <summary>
/// Sweep archives (export, then load as an example at start) and deleting sweeps: an example arrives once with its
/// whole history, is marked as an example, and stays deleted once a user deletes it.
/// </summary>
public sealed class ExampleSweepsTests(SweepWebFactory factory) : IClassFixture<SweepWebFactory>, IDisposable
{
    private readonly HttpClient _client = factory.CreateClient();
    private readonly string _folder = Directory.CreateTempSubdirectory("sweep-examples-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<(Guid Sweep, List<Guid> Trials)> CreateFinishedAsync(string name)
    {
        var body = $$$"""
            {"name":"{{{name}}}","grid":{"batchSize":[128,256],"ghostBatchSize":[128]},"training":{"epochs":2,"lrDropEpochs":[]}}
            """;
        var response = await _client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var sweep = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}");
        var trials = sweep.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList();
        await factory.Database.ScalarAsync<int>(
            $$"""
            UPDATE trials SET state = 'completed', current_epoch = 2, final_val_accuracy = 0.875, final_steps = 20,
                   config = '{"batchSize": 128}', started_at = '2026-11-27T10:00:00Z', finished_at = '2026-11-27T10:00:12.5Z'
             WHERE id = '{{trials[0]}}' RETURNING 1
            """);
        await factory.Database.ScalarAsync<int>(
            $"UPDATE trials SET state = 'failed', failure_kind = 'diverged', error = 'Loss was NaN', final_train_loss = 'NaN' WHERE id = '{trials[1]}' RETURNING 1");
        await factory.Database.ScalarAsync<int>(
            $"INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at) SELECT '{trials[0]}', k, s, s / 10, CASE WHEN s = 7 THEN 'NaN'::float8 ELSE s * 0.5 END, '2026-11-27T10:00:00Z'::timestamptz + s * interval '1 second' FROM generate_series(0, 19) s, unnest(array['valAccuracy', 'weightDistance']) k RETURNING 1");
        await factory.Database.ScalarAsync<int>(
            $"INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at) VALUES ('{trials[1]}', 'trainLoss', 3, 0, 'Infinity', '2026-11-27T10:00:01Z') RETURNING 1");
        return (id, trials);
    }

    private async Task<SweepArchive> DownloadArchiveAsync(Guid sweep)
    {
        var response = await _client.GetAsync($"/api/v1/sweeps/{sweep}/export/archive.sweep.json.gz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/gzip", response.Content.Headers.ContentType!.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync();
        return await SweepArchiver.ReadAsync(stream, CancellationToken.None);
    }

    [Fact]
    public async Task An_archive_holds_the_spec_every_trial_and_the_whole_history_with_NaN_and_infinity()
    {
        var (sweep, _) = await CreateFinishedAsync("archive-roundtrip");

        var archive = await DownloadArchiveAsync(sweep);

        Assert.Equal(SweepArchive.CurrentFormat, archive.Format);
        Assert.Equal("archive-roundtrip", archive.Sweep.Name);
        Assert.Equal(2, archive.Sweep.Spec.GetProperty("training").GetProperty("epochs").GetInt32());
        var completed = Assert.Single(archive.Trials, t => t.State == "completed");
        Assert.Equal(40, completed.Points.Value.Count);
        Assert.Equal(["valAccuracy", "weightDistance"], completed.MetricKeys);
        Assert.Contains(completed.Points.Value, double.IsNaN);
        Assert.Equal(0.875, completed.Final.ValAccuracy);
        Assert.Equal(128, completed.Config!.Value.GetProperty("batchSize").GetInt32());
        var failed = Assert.Single(archive.Trials, t => t.State == "failed");
        Assert.Equal("diverged", failed.FailureKind);
        Assert.True(double.IsNaN(failed.Final.TrainLoss!.Value));
        Assert.Equal([double.PositiveInfinity], failed.Points.Value);
    }

    [Fact]
    public async Task An_example_loads_once_with_its_history_and_a_deleted_example_stays_deleted()
    {
        var (original, _) = await CreateFinishedAsync("published-example");
        await using (var file = File.Create(Path.Combine(_folder, "published.sweep.json.gz")))
        {
            await SweepArchiver.WriteAsync((await DownloadArchiveAsync(original)) with { Key = "test-published-example" }, file, CancellationToken.None);
        }

        // A damaged archive next to it is skipped, not fatal.
        await File.WriteAllTextAsync(Path.Combine(_folder, "damaged.sweep.json.gz"), "not an archive");
        using var withExamples = factory.WithWebHostBuilder(b => b.UseSetting("Examples:Folder", _folder));
        var client = withExamples.CreateClient();
        var loader = withExamples.Services.GetRequiredService<ExampleLoader>();
        await loader.LoadAsync(CancellationToken.None); // the hosted run may have done it already: either way it is there once

        var examples = await ExamplesAsync(client, "published-example");
        var example = Assert.Single(examples);
        Assert.NotEqual(original, example);
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{example}");
        Assert.True(detail.GetProperty("isExample").GetBoolean());
        Assert.Equal(2, detail.GetProperty("trials").GetArrayLength());
        var copied = await factory.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM metric_points m JOIN trials t ON t.id = m.trial_id WHERE t.sweep_id = '{example}'");
        Assert.Equal(41, copied);
        Assert.True(await factory.Database.ScalarAsync<bool>(
            $"SELECT value = 'NaN'::float8 FROM metric_points m JOIN trials t ON t.id = m.trial_id WHERE t.sweep_id = '{example}' AND m.key = 'valAccuracy' AND m.step = 7"));

        Assert.Empty(await loader.LoadAsync(CancellationToken.None));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/sweeps/{example}")).StatusCode);
        Assert.Empty(await loader.LoadAsync(CancellationToken.None));
        Assert.Empty(await ExamplesAsync(client, "published-example"));
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM trials WHERE sweep_id = '{example}'"));
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM example_imports WHERE key = 'test-published-example' AND sweep_id IS NOT NULL"));
    }

    [Fact]
    public async Task A_sweep_with_queued_trials_cannot_be_deleted_until_it_is_cancelled()
    {
        var body = """{"name":"delete-me","grid":{"batchSize":[128],"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[]}}""";
        var created = await _client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var refused = await _client.DeleteAsync($"/api/v1/sweeps/{id}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("cancel it first", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/v1/sweeps/{id}/cancel", null)).StatusCode);

        // A page had the sweep open: the read the pages share goes with the sweep.
        await using (var page = factory.Services.CreateAsyncScope())
        {
            await page.ServiceProvider.GetRequiredService<LiveSweepQuery>().LoadLiveAsync(id, CancellationToken.None);
        }

        var pages = factory.Services.GetRequiredService<LiveSweepCache>();
        Assert.NotNull(pages.Get(id));
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/v1/sweeps/{id}")).StatusCode);
        Assert.Null(pages.Get(id));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/v1/sweeps/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/api/v1/sweeps/{id}")).StatusCode);
    }

    /// <summary>The ids of example sweeps with this name, from the sweeps list.</summary>
    private static async Task<List<Guid>> ExamplesAsync(HttpClient client, string name)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps?name={Uri.EscapeDataString(name)}&limit=100");
        return page.GetProperty("items").EnumerateArray()
            .Where(s => s.GetProperty("name").GetString() == name && s.TryGetProperty("isExample", out var e) && e.GetBoolean())
            .Select(s => s.GetProperty("id").GetGuid())
            .ToList();
    }
}
