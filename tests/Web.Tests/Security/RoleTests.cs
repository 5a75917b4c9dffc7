using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sweep.Data.Entities;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests.Security;

/// <summary>Viewers read; editors create and control; owners manage members.</summary>
[Collection(SharedHost.Access)]
public sealed class RoleTests(SweepWebFactory factory)
{
    [Fact]
    public async Task A_viewer_reads_but_gets_403_on_every_control_action()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var viewer = factory.CreateClient(world.ViewerB);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/sweeps/{world.SweepB}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/trials/{world.TrialB}")).StatusCode);

        var writes = ApiEndpoints.All(factory.Services).Where(r => r.IsWrite && r.Parameters.Contains("id")).ToList();
        Assert.Contains(writes, r => r.Template.EndsWith("/pause", StringComparison.Ordinal));
        Assert.Contains(writes, r => r.Template.EndsWith("/cancel", StringComparison.Ordinal));
        foreach (var route in writes)
        {
            var path = route.Fill(p => p == "id"
                ? (route.Template.StartsWith("/api/v1/trials", StringComparison.Ordinal) ? world.TrialB : world.SweepB).ToString()
                : Guid.NewGuid().ToString());
            using var response = await viewer.SendAsync(route.Request(path));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route} → {(int)response.StatusCode}");
        }

        var create = await viewer.PostAsync("/api/v1/sweeps", new StringContent(
            $$"""{"name":"x","grid":{"batchSize":[128],"ghostBatchSize":[128]},"project":"{{world.SlugB}}"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal("application/problem+json", create.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM sweeps WHERE project_id = (SELECT id FROM projects WHERE slug = '{world.SlugB}')"));

        // The page shows a viewer no controls.
        using var viewerSession = await world.SessionAsync(world.ViewerB);
        var html = await viewerSession.GetStringAsync($"/trials/{world.TrialB}");
        Assert.DoesNotContain("id=\"cancel-trial\"", html);
        Assert.Equal("active", (await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{world.SweepB}")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_editor_creates_and_controls_sweeps_but_cannot_manage_members()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var editor = factory.CreateClient(world.EditorB);
        Assert.Equal(HttpStatusCode.NoContent, (await editor.PostAsync($"/api/v1/sweeps/{world.SweepB}/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await editor.PostAsync($"/api/v1/trials/{world.TrialB}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await editor.PostAsync($"/api/v1/sweeps/{world.SweepB}/cancel", null)).StatusCode);
        using var editorSession = await world.SessionAsync(world.EditorB);
        Assert.Contains("id=\"cancel-trial\"", await editorSession.GetStringAsync($"/trials/{world.TrialB}"));

        var id = await SecurityWorld.CreateSweepAsync(editor, "editor-sweep", world.SlugB);
        Assert.Equal(world.SlugB, await factory.Database.ScalarAsync<string>($"SELECT p.slug FROM sweeps s JOIN projects p ON p.id = s.project_id WHERE s.id = '{id}'"));

        var member = await editor.PutAsJsonAsync($"/api/v1/projects/{world.SlugB}/members", new { email = "x@team.test", role = ProjectRoles.Owner });
        Assert.Equal(HttpStatusCode.Forbidden, member.StatusCode);

        using var owner = factory.CreateClient(world.OwnerB);
        var members = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{world.SlugB}/members");
        Assert.Equal(3, members.GetArrayLength());
    }
}
