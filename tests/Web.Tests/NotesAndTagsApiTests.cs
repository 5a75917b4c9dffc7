using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sweep.Web.Tests.Security;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>
/// Notes and tags through the running app on real PostgreSQL: editors write them, viewers read but get 403 on writes,
/// a share link reads the rendered (sanitized) note, bad input answers field errors, and ?tag= filters the list.
/// </summary>
[Collection(SharedHost.Results)]
public sealed class NotesAndTagsApiTests(SweepWebFactory factory)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body, Web), Encoding.UTF8, "application/json");

    [Fact]
    public async Task An_editor_writes_a_sweep_note_that_viewers_and_share_links_read_rendered()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var editor = factory.CreateClient(world.EditorB);
        var markdown = "**Gap closes** with GBN. [paper](https://arxiv.org/abs/1705.08741) <script>alert(1)</script> [x](javascript:alert(2))";

        var put = await editor.PutAsync($"/api/v1/sweeps/{world.SweepB}/notes", Json(new { markdown }));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var saved = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(markdown, saved.GetProperty("markdown").GetString());
        AssertSafe(saved.GetProperty("html").GetString()!);

        using var viewer = factory.CreateClient(world.ViewerB);
        var read = await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{world.SweepB}");
        Assert.Equal(markdown, read.GetProperty("notes").GetString());
        AssertSafe(read.GetProperty("notesHtml").GetString()!);

        var share = await editor.PostAsJsonAsync($"/api/v1/sweeps/{world.SweepB}/share-links", new { expiresAt = (DateTimeOffset?)null });
        var token = (await share.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        using var link = factory.CreateClient(token);
        var shared = await link.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{world.SweepB}");
        AssertSafe(shared.GetProperty("notesHtml").GetString()!);

        // The shared page itself shows the rendered note.
        using var anonymous = factory.CreateAnonymousClient();
        var page = await anonymous.GetStringAsync($"/s/{token}");
        Assert.Contains("<strong>Gap closes</strong>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", page, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:alert(2)", page, StringComparison.Ordinal);

        // A share link cannot write.
        Assert.NotEqual(HttpStatusCode.OK, (await link.PutAsync($"/api/v1/sweeps/{world.SweepB}/notes", Json(new { markdown = "x" }))).StatusCode);
    }

    private static void AssertSafe(string html)
    {
        Assert.Contains("<strong>Gap closes</strong>", html, StringComparison.Ordinal);
        Assert.Contains("rel=\"nofollow noopener\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_viewer_gets_403_on_notes_and_tags_and_nothing_changes()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var viewer = factory.CreateClient(world.ViewerB);

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsync($"/api/v1/sweeps/{world.SweepB}/notes", Json(new { markdown = "mine" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsync($"/api/v1/trials/{world.TrialB}/notes", Json(new { markdown = "mine" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsync($"/api/v1/sweeps/{world.SweepB}/tags", Json(new { tags = new[] { "x" } }))).StatusCode);

        var sweep = await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{world.SweepB}");
        Assert.Equal(JsonValueKind.Null, sweep.GetProperty("notes").ValueKind);
        Assert.Empty(sweep.GetProperty("tags").EnumerateArray());

        // Another team's owner does not even see the sweep.
        using var outsider = factory.CreateClient(world.OwnerA);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PutAsync($"/api/v1/sweeps/{world.SweepB}/notes", Json(new { markdown = "x" }))).StatusCode);
    }

    [Fact]
    public async Task A_trial_note_is_saved_cleared_and_capped_at_64_KiB()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var editor = factory.CreateClient(world.EditorB);

        var put = await editor.PutAsync($"/api/v1/trials/{world.TrialB}/notes", Json(new { markdown = "Diverged at epoch 3: *LR too high*." }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var trial = await editor.GetFromJsonAsync<JsonElement>($"/api/v1/trials/{world.TrialB}");
        Assert.Equal("Diverged at epoch 3: *LR too high*.", trial.GetProperty("notes").GetString());
        Assert.Contains("<em>LR too high</em>", trial.GetProperty("notesHtml").GetString(), StringComparison.Ordinal);

        var tooLong = await editor.PutAsync($"/api/v1/trials/{world.TrialB}/notes", Json(new { markdown = new string('a', 64 * 1024 + 1) }));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var problem = await tooLong.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("65536", problem.GetProperty("errors").GetProperty("markdown")[0].GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await editor.PutAsync($"/api/v1/trials/{world.TrialB}/notes", Json(new { markdown = new string('a', 64 * 1024) }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await editor.PutAsync($"/api/v1/trials/{world.TrialB}/notes", Json(new { markdown = " " }))).StatusCode);
        trial = await editor.GetFromJsonAsync<JsonElement>($"/api/v1/trials/{world.TrialB}");
        Assert.Equal(JsonValueKind.Null, trial.GetProperty("notes").ValueKind);
        Assert.Equal("", trial.GetProperty("notesHtml").GetString());
    }

    [Fact]
    public async Task Tags_are_set_on_create_and_by_PUT_and_bad_ones_are_field_errors()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var editor = factory.CreateClient(world.EditorB);

        var bad = await editor.PostAsync("/api/v1/sweeps", SweepBody($"bad-{world.Tag}", world.SlugB, "\"ok\", \"no spaces\""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("tags[1]", out _));

        var created = await editor.PostAsync("/api/v1/sweeps", SweepBody($"tagged-{world.Tag}", world.SlugB, "\"Baseline\", \"gbn\""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var sweep = await editor.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}");
        Assert.Equal(["baseline", "gbn"], sweep.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        var tooMany = await editor.PutAsync($"/api/v1/sweeps/{id}/tags", Json(new { tags = Enumerable.Range(0, 17).Select(i => $"t{i}") }));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.True((await tooMany.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("tags", out _));
        var tooLong = await editor.PutAsync($"/api/v1/sweeps/{id}/tags", Json(new { tags = new[] { new string('a', 33) } }));
        Assert.True((await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("tags[0]", out _));

        var put = await editor.PutAsync($"/api/v1/sweeps/{id}/tags", Json(new { tags = new[] { "rerun", "GBN", "rerun" } }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(["rerun", "gbn"], (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task The_list_filters_by_tags_and_every_tag_must_match()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var editor = factory.CreateClient(world.EditorB);
        var t = world.Tag;
        var both = await CreateAsync(editor, $"both-{t}", world.SlugB, $"\"a-{t}\", \"b-{t}\"");
        var onlyA = await CreateAsync(editor, $"only-a-{t}", world.SlugB, $"\"a-{t}\"");
        await CreateAsync(editor, $"none-{t}", world.SlugB, "");

        Assert.Equal(new HashSet<Guid> { both, onlyA }, (await IdsAsync(editor, $"tag=a-{t}")).ToHashSet());
        Assert.Equal([both], await IdsAsync(editor, $"tag=a-{t}&tag=B-{t}"));
        Assert.Empty(await IdsAsync(editor, $"tag=c-{t}"));

        var bad = await editor.GetAsync("/api/v1/sweeps?tag=not%20valid");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("tag[0]", out _));

        // The list page filters the same way, and shows each sweep's tags.
        using var session = await world.SessionAsync(world.EditorB);
        var page = await session.GetStringAsync($"/?tag=a-{t}%20b-{t}");
        Assert.Contains($"both-{t}", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"only-a-{t}", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/?tag=b-{t}\"", page, StringComparison.Ordinal);
    }

    private static async Task<List<Guid>> IdsAsync(HttpClient client, string query)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps?limit=50&{query}");
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
    }

    private static async Task<Guid> CreateAsync(HttpClient client, string name, string project, string tags)
    {
        var response = await client.PostAsync("/api/v1/sweeps", SweepBody(name, project, tags));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static StringContent SweepBody(string name, string project, string tags) => new($$$"""
        {"name":"{{{name}}}","project":"{{{project}}}","tags":[{{{tags}}}],"grid":{"batchSize":[128],"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[],"seeds":[1]}}
        """, Encoding.UTF8, "application/json");
}
