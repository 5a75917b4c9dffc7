using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sweep.Data.Entities;
using Sweep.Domain.Sweeps;
using Sweep.Testing;
using Sweep.Web.Tests.Security;
using Xunit.Abstractions;
using static Sweep.Web.Tests.Webhooks.WebhookSteps;

namespace Sweep.Web.Tests.Webhooks;

/// <summary>Issue 18: project webhooks, end to end: the API, the outbox written by the state commands, real signed POSTs to a loopback receiver.</summary>
[Collection(TimedIntervalsCollection.Name)]
public sealed class WebhooksTests(WebhookWebFactory factory, ITestOutputHelper output) : IClassFixture<WebhookWebFactory>, IAsyncLifetime
{
    private readonly HttpClient _admin = factory.CreateClient();

    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_failed_trial_and_then_the_finished_sweep_reach_the_receiver_signed()
    {
        await using var commands = new TestCommands(factory.Database.ConnectionString);
        var (hookId, secret) = await CreateHookAsync(_admin, ProjectRecord.DefaultSlug, _receiver.HookUrl("ends"), ["trial.failed", "sweep.finished"]);
        var sweepId = await SecurityWorld.CreateSweepAsync(_admin, "webhook-ends", ProjectRecord.DefaultSlug);
        var trials = await TrialIdsAsync(_admin, sweepId);

        await FailAsync(commands, trials[0], FailureKind.Error, "the trainer exited with 139");
        var failed = await _receiver.WaitForAsync(r => r.Hook == "ends" && r.Event == "trial.failed" && r.Body.Contains(trials[0].ToString(), StringComparison.Ordinal));
        AssertSigned(failed, secret);
        Assert.Equal("the trainer exited with 139", failed.Json().GetProperty("data").GetProperty("error").GetString());
        Assert.DoesNotContain(_receiver.Requests, r => r.Event == "sweep.finished" && r.Body.Contains(sweepId.ToString(), StringComparison.Ordinal));

        await CompleteAsync(commands, trials[1]);
        var finished = await _receiver.WaitForAsync(r => r.Hook == "ends" && r.Event == "sweep.finished" && r.Body.Contains(sweepId.ToString(), StringComparison.Ordinal));
        AssertSigned(finished, secret);
        var counts = finished.Json().GetProperty("data").GetProperty("trials");
        Assert.Equal(1, counts.GetProperty("completed").GetInt32());
        Assert.Equal(1, counts.GetProperty("failed").GetInt32());

        // Latency: from the outbox row's creation (the trial's commit) to the receiver's arrival, in this process.
        var created = await factory.Database.ScalarAsync<DateTime>(
            $"SELECT created_at FROM webhook_deliveries WHERE webhook_id = '{hookId}' AND event_type = 'trial.failed'");
        output.WriteLine($"webhook latency (row created → received): {(failed.At - new DateTimeOffset(created, TimeSpan.Zero)).TotalMilliseconds:F0} ms");
        Assert.Equal(2L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_deliveries WHERE webhook_id = '{hookId}' AND state = 'delivered'"));
    }

    [Fact]
    public async Task Each_failure_kind_goes_only_to_hooks_subscribed_to_it_and_slack_gets_text()
    {
        await using var commands = new TestCommands(factory.Database.ConnectionString);
        await CreateHookAsync(_admin, ProjectRecord.DefaultSlug, _receiver.HookUrl("oom"), ["trial.out-of-memory"], preset: "slack");
        var sweepId = await SecurityWorld.CreateSweepAsync(_admin, "webhook-kinds", ProjectRecord.DefaultSlug);
        var trials = await TrialIdsAsync(_admin, sweepId);

        await FailAsync(commands, trials[0], FailureKind.Diverged, "loss is NaN");
        await FailAsync(commands, trials[1], FailureKind.OutOfMemory, "CUDA out of memory");

        var oom = await _receiver.WaitForAsync(r => r.Hook == "oom" && r.Body.Contains(trials[1].ToString(), StringComparison.Ordinal));
        Assert.Equal("trial.out-of-memory", oom.Event);
        Assert.Contains("CUDA out of memory", oom.Json().GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Single(oom.Json().EnumerateObject());
        await Task.Delay(500);
        Assert.DoesNotContain(_receiver.Requests, r => r.Hook == "oom" && r.Body.Contains(trials[0].ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Send_test_is_delivered_and_shows_in_the_delivery_log()
    {
        var (hookId, secret) = await CreateHookAsync(_admin, ProjectRecord.DefaultSlug, _receiver.HookUrl("test"), ["sweep.finished"]);

        using var sent = await _admin.PostAsync($"/api/v1/projects/{ProjectRecord.DefaultSlug}/webhooks/{hookId}/test", null);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);

        var received = await _receiver.WaitForAsync(r => r.Hook == "test" && r.Event == "test");
        AssertSigned(received, secret);
        var log = await WaitForLogAsync(hookId, d => d.GetProperty("state").GetString() == "delivered");
        Assert.Equal(200, log.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal(1, log.GetProperty("attempts").GetInt32());
        Assert.Equal(received.Headers["Sweep-Delivery"], log.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PostAsync($"/api/v1/projects/{ProjectRecord.DefaultSlug}/webhooks/{Guid.NewGuid()}/test", null)).StatusCode);
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_backoff_until_it_answers()
    {
        var (hookId, _) = await CreateHookAsync(_admin, ProjectRecord.DefaultSlug, _receiver.HookUrl("flaky"), ["sweep.finished"]);
        _receiver.Status = 503;
        await _admin.PostAsync($"/api/v1/projects/{ProjectRecord.DefaultSlug}/webhooks/{hookId}/test", null);

        // The receiver's own count, not the log's: a delivery counts its attempt when it is claimed, before its POST is
        // answered, so the log alone could show a second attempt that the 200 below would still answer.
        await _receiver.WaitForAnsweredAsync(r => r.Hook == "flaky" && r.AnsweredStatus == 503, 2);
        await WaitForLogAsync(hookId, d => d.GetProperty("attempts").GetInt32() >= 2 && d.GetProperty("lastStatusCode").ValueKind == JsonValueKind.Number && d.GetProperty("lastStatusCode").GetInt32() == 503);

        _receiver.Status = 200;
        var log = await WaitForLogAsync(hookId, d => d.GetProperty("state").GetString() == "delivered");
        Assert.True(log.GetProperty("attempts").GetInt32() >= 3);
        var tries = _receiver.Requests.Where(r => r.Hook == "flaky").Select(r => r.At).ToList();
        Assert.True(tries[2] - tries[1] > tries[1] - tries[0], $"backoff grows: {string.Join(", ", tries.Select(t => t.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.Single(_receiver.Requests.Where(r => r.Hook == "flaky").Select(r => r.Headers["Sweep-Delivery"]).Distinct());
    }

    [Fact]
    public async Task Bad_input_gets_field_errors()
    {
        using var response = await _admin.PostAsJsonAsync($"/api/v1/projects/{ProjectRecord.DefaultSlug}/webhooks",
            new { url = "ftp://example.test/hook", events = new[] { "trial.failed", "trial.exploded" }, preset = "teams" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("trial.exploded", errors.GetProperty("events")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("url", out _));
        Assert.True(errors.TryGetProperty("preset", out _));

        using var relative = await _admin.PostAsJsonAsync($"/api/v1/projects/{ProjectRecord.DefaultSlug}/webhooks", new { url = "/hook", events = Array.Empty<string>() });
        var relativeErrors = (await relative.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(relativeErrors.TryGetProperty("url", out _));
        Assert.True(relativeErrors.TryGetProperty("events", out _));
    }

    [Fact]
    public async Task Only_owners_manage_hooks_and_a_project_never_gets_another_projects_events()
    {
        await using var commands = new TestCommands(factory.Database.ConnectionString);
        var world = await SecurityWorld.CreateAsync(factory);
        using var ownerA = factory.CreateClient(world.OwnerA);
        using var ownerB = factory.CreateClient(world.OwnerB);
        var all = Sweep.Domain.Webhooks.WebhookEvents.All.ToArray();
        var (hookA, _) = await CreateHookAsync(ownerA, world.SlugA, _receiver.HookUrl("team-a"), all);
        var (hookB, secretB) = await CreateHookAsync(ownerB, world.SlugB, _receiver.HookUrl("team-b"), all);

        foreach (var token in new[] { world.EditorB, world.ViewerB })
        {
            using var member = factory.CreateClient(token);
            Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync($"/api/v1/projects/{world.SlugB}/webhooks")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsJsonAsync($"/api/v1/projects/{world.SlugB}/webhooks",
                new { url = _receiver.HookUrl("editor"), events = all })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync($"/api/v1/projects/{world.SlugB}/webhooks/{hookB}/deliveries")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await ownerA.GetAsync($"/api/v1/projects/{world.SlugB}/webhooks")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ownerA.DeleteAsync($"/api/v1/projects/{world.SlugA}/webhooks/{hookB}")).StatusCode);
        var listed = await ownerB.GetStringAsync($"/api/v1/projects/{world.SlugB}/webhooks");
        Assert.Contains(hookB.ToString(), listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secretB, listed, StringComparison.Ordinal);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM webhooks WHERE protected_secret LIKE '%{secretB[4..]}%'"));

        await FailAsync(commands, world.TrialB, FailureKind.Stalled, "no progress for 600 s");
        var stalled = await _receiver.WaitForAsync(r => r.Hook == "team-b" && r.Event == "trial.stalled");
        AssertSigned(stalled, secretB);
        await Task.Delay(500);
        Assert.DoesNotContain(_receiver.Requests, r => r.Hook == "team-a");
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_deliveries WHERE webhook_id = '{hookA}'"));

        Assert.Equal(HttpStatusCode.NoContent, (await ownerB.DeleteAsync($"/api/v1/projects/{world.SlugB}/webhooks/{hookB}")).StatusCode);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_deliveries WHERE webhook_id = '{hookB}'"));
    }

    private async Task<JsonElement> WaitForLogAsync(Guid hookId, Func<JsonElement, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement log = default;
        while (DateTime.UtcNow < deadline)
        {
            log = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{ProjectRecord.DefaultSlug}/webhooks/{hookId}/deliveries");
            if (log.EnumerateArray().FirstOrDefault(match) is { ValueKind: JsonValueKind.Object } row)
            {
                return row;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The delivery log never matched: {log}");
    }
}
