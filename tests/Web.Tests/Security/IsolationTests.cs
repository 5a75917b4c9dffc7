using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sweep.Web.Tests.Security;

/// <summary>A member of project A meets project B's private sweeps as if they did not exist: 404 everywhere, absent from lists.</summary>
public sealed class IsolationTests(SweepWebFactory factory) : IClassFixture<SweepWebFactory>
{
    [Fact]
    public async Task Every_api_endpoint_answers_404_for_another_projects_private_sweep_trial_and_project()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var a = factory.CreateClient(world.OwnerA);
        var routes = ApiEndpoints.All(factory.Services)
            .Where(r => r.Parameters.Contains("id") || r.Parameters.Contains("project"))
            .ToList();
        Assert.True(routes.Count >= 25, $"Only {routes.Count} API routes name a sweep, trial or project: " + string.Join(", ", routes));

        var failures = new List<string>();
        foreach (var route in routes)
        {
            var path = route.Fill(p => p switch
            {
                "id" => (route.Template.StartsWith("/api/v1/trials", StringComparison.Ordinal) ? world.TrialB : world.SweepB).ToString(),
                "project" => world.SlugB,
                "name" => "worker",
                _ => Guid.NewGuid().ToString(),
            });
            using var response = await a.SendAsync(route.Request(path));
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                failures.Add($"{route} → {(int)response.StatusCode}");
            }
            else
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Nothing was changed by any of those requests.
        using var b = factory.CreateClient(world.OwnerB);
        var sweep = await b.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{world.SweepB}");
        Assert.Equal("active", sweep.GetProperty("state").GetString());
        Assert.All(sweep.GetProperty("trials").EnumerateArray(), t => Assert.Equal("queued", t.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Every_page_of_another_projects_private_sweep_answers_404_and_no_list_shows_it()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var a = await world.SessionAsync(world.OwnerA);
        using var aApi = factory.CreateClient(world.OwnerA);
        var pages = ApiEndpoints.Pages(factory.Services).Where(p => p.Parameters.Count > 0 && !p.Template.StartsWith("/s/", StringComparison.Ordinal)).ToList();
        Assert.Contains(pages, p => p.Template.StartsWith("/sweeps/{Id", StringComparison.Ordinal));
        Assert.Contains(pages, p => p.Template.StartsWith("/trials/{Id", StringComparison.Ordinal));

        foreach (var page in pages)
        {
            var path = page.Fill(p => p switch
            {
                "Slug" => world.SlugB,
                _ => (page.Template.StartsWith("/trials", StringComparison.Ordinal) ? world.TrialB : world.SweepB).ToString(),
            });
            using var response = await a.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{page} → {(int)response.StatusCode}");
            Assert.DoesNotContain(world.SweepBName, html);
        }

        Assert.DoesNotContain(world.SweepBName, await a.GetStringAsync("/"));
        Assert.DoesNotContain(world.SweepBName, await a.GetStringAsync($"/sweeps/new?from={world.SweepB}"));
        Assert.DoesNotContain(world.SweepBName, await aApi.GetStringAsync("/api/v1/sweeps"));
        Assert.DoesNotContain(world.SlugB, await aApi.GetStringAsync("/api/v1/projects"));
        Assert.DoesNotContain(world.SlugB, await a.GetStringAsync("/projects"));

        // B's own members see it.
        using var b = await world.SessionAsync(world.ViewerB);
        using var bApi = factory.CreateClient(world.ViewerB);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync($"/sweeps/{world.SweepB}")).StatusCode);
        Assert.Contains(world.SweepBName, await bApi.GetStringAsync("/api/v1/sweeps"));
        Assert.Contains(world.SweepBName, await b.GetStringAsync("/"));
    }

    [Fact]
    public async Task Sweeps_created_without_a_project_go_to_the_default_project_which_only_its_members_read()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        await factory.GrantAsync(world.EmailA, Sweep.Data.Entities.ProjectRoles.Editor);
        using var a = factory.CreateClient(world.OwnerA);
        var id = await SecurityWorld.CreateSweepAsync(a, "in-default", project: null);
        Assert.Equal(Sweep.Data.Entities.ProjectRecord.DefaultId, await factory.Database.ScalarAsync<Guid>($"SELECT project_id FROM sweeps WHERE id = '{id}'"));

        // Not a member of the default project: it is hidden, and nothing can be created there.
        using var b = factory.CreateClient(world.ViewerB);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/api/v1/sweeps/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostAsync("/api/v1/sweeps", new StringContent(
            """{"name":"x","grid":{"batchSize":[128],"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[]}}""",
            System.Text.Encoding.UTF8, "application/json"))).StatusCode);

        // A viewer of it reads it and still cannot create there.
        await factory.GrantAsync(world.EmailViewerB, Sweep.Data.Entities.ProjectRoles.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync($"/api/v1/sweeps/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await b.PostAsync("/api/v1/sweeps", new StringContent(
            """{"name":"x","grid":{"batchSize":[128],"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[]},"project":"default"}""",
            System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }
}
