using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sweep.Data.Entities;

namespace Sweep.Web.Tests.Security;

/// <summary>Issue 13, item 11: the smaller ways one team could learn about another's private project.</summary>
public sealed partial class SmallLeakAttackTests(SweepWebFactory factory) : IClassFixture<SweepWebFactory>
{
    [Fact]
    public async Task Item11a_The_workers_list_shows_a_current_trial_only_to_those_who_may_read_it()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        var worker = $"gpu-{Guid.NewGuid():N}"[..16];
        await factory.Database.ScalarAsync<int>(
            "INSERT INTO workers (name, host, device, version, queues, state, current_trial_id, consecutive_failures, trials_run, started_at, heartbeat_at) " +
            $"VALUES ('{worker}', 'host-1', 'cuda:0', '1.0', 'default', 'active', '{world.TrialB}', 0, 3, now(), now()) RETURNING 1");

        var outsider = await WorkerAsync(world.OwnerA, worker);
        Assert.Equal(JsonValueKind.Null, outsider.GetProperty("currentTrialId").ValueKind);
        using (var raw = factory.CreateClient(world.OwnerA))
        {
            Assert.DoesNotContain(world.TrialB.ToString(), await raw.GetStringAsync("/api/v1/workers"));
        }

        Assert.Equal(world.TrialB, (await WorkerAsync(world.ViewerB, worker)).GetProperty("currentTrialId").GetGuid());
        Assert.Equal(world.TrialB, (await WorkerAsync(factory.AdminToken, worker)).GetProperty("currentTrialId").GetGuid());
    }

    [Fact]
    public async Task Item11b_The_time_estimate_counts_only_trials_of_projects_the_user_may_read()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        await factory.Database.ScalarAsync<int>(
            "UPDATE trials SET state = 'completed', current_epoch = 1, final_wall_seconds = 120, started_at = now() - interval '2 minutes', " +
            $"finished_at = now() WHERE id = '{world.TrialB}' RETURNING 1");
        var email = $"outsider-{Guid.NewGuid():N}@team.test";
        await factory.CreateUserAsync(email, SecurityWorld.Password);

        var outsider = await EstimateAsync(email, SecurityWorld.Password);
        Assert.Contains("No estimate of the training time yet", outsider);

        // An administrator reads every project, team B's included: the measurement is there.
        Assert.Contains("measured on 1 completed trial", await EstimateAsync(SweepWebFactory.AdminEmail, SweepWebFactory.AdminPassword));
    }

    [Fact]
    public async Task Item11d_The_same_Idempotency_Key_and_body_sent_to_another_project_does_not_replay_the_first_projects_sweep()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var owner = factory.CreateClient(world.OwnerB);
        var other = $"team-b2-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsJsonAsync("/api/v1/projects", new { name = other, slug = other, visibility = ProjectVisibility.Private })).StatusCode);
        var key = Guid.NewGuid().ToString();

        using var first = await CreateAsync(owner, key, world.SlugB);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var retry = await CreateAsync(owner, key, world.SlugB);
        Assert.Equal(firstId, (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());

        using var elsewhere = await CreateAsync(owner, key, other);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, elsewhere.StatusCode);
        Assert.DoesNotContain(firstId.ToString(), await elsewhere.Content.ReadAsStringAsync());
        Assert.False(elsewhere.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM sweeps s JOIN projects p ON p.id = s.project_id WHERE p.slug = '{other}'"));
    }

    private async Task<JsonElement> WorkerAsync(string token, string name)
    {
        using var client = factory.CreateClient(token);
        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/workers?limit=500");
        return page.GetProperty("items").EnumerateArray().Single(w => w.GetProperty("name").GetString() == name);
    }

    /// <summary>The new-sweep page's estimate as a signed-in user sees it (the page's prerendered text).</summary>
    private async Task<string> EstimateAsync(string email, string password)
    {
        using var browser = factory.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SignInAsync(browser, email, password)).StatusCode);
        var html = await browser.GetStringAsync("/sweeps/new");
        var estimate = Estimate().Match(html);
        Assert.True(estimate.Success, "The page shows no estimate.");
        return WebUtility.HtmlDecode(estimate.Groups[1].Value);
    }

    private static Task<HttpResponseMessage> CreateAsync(HttpClient client, string key, string project)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sweeps")
        {
            Content = new StringContent(
                $$"""{"name":"same-body","grid":{"batchSize":[128],"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[],"seeds":[1]},"project":"{{project}}"}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    [GeneratedRegex("<p id=\"estimate\">([^<]*)</p>")]
    private static partial Regex Estimate();
}
