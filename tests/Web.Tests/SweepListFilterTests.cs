using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Sweep.Data.Entities;
using Sweep.Web.Tests.Security;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>
/// The sweeps list's project, "Mine" and example filters and its owner column, through the API and the list page of
/// the running app on real PostgreSQL. A researcher owns one private project (a sweep and an example in it, and a
/// guest's sweep: the guest is an editor there) and reads a colleague's internal project (one sweep) without being a
/// member of it.
/// </summary>
[Collection(SharedHost.Pages)]
public sealed class SweepListFilterTests(SweepWebFactory factory) : IAsyncLifetime
{
    private const string Password = "Correct-horse-9";

    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];

    private string _email = "";
    private string _token = "";
    private string _mine = "";
    private string _theirs = "";
    private Guid _ownSweep;
    private Guid _example;
    private Guid _colleagueSweep;
    private Guid _guestSweep;
    private string _guestAlias = "";

    public async Task InitializeAsync()
    {
        _email = $"me-{_tag}@lab.test";
        (_, _token) = await factory.CreateUserAsync(_email, Password);
        var (_, colleague) = await factory.CreateUserAsync($"them-{_tag}@lab.test", Password);
        var (guestId, guest) = await factory.CreateUserAsync($"guest-{_tag}@lab.test", Password);
        _mine = await CreateProjectAsync(_token, $"mine-{_tag}", ProjectVisibility.Private);
        _theirs = await CreateProjectAsync(colleague, $"theirs-{_tag}", ProjectVisibility.Internal);

        using var me = factory.CreateClient(_token);
        using var them = factory.CreateClient(colleague);
        _ownSweep = await SecurityWorld.CreateSweepAsync(me, $"own-{_tag}", _mine);
        _example = await SecurityWorld.CreateSweepAsync(me, $"example-{_tag}", _mine);
        _colleagueSweep = await SecurityWorld.CreateSweepAsync(them, $"colleague-{_tag}", _theirs);
        var mineId = await factory.Database.ScalarAsync<Guid>($"SELECT id FROM projects WHERE slug = '{_mine}'");
        await factory.GrantAsync($"guest-{_tag}@lab.test", ProjectRoles.Editor, mineId);
        using var guestClient = factory.CreateClient(guest);
        _guestSweep = await SecurityWorld.CreateSweepAsync(guestClient, $"guest-{_tag}", _mine);
        _guestAlias = Web.Access.MemberView.Alias(guestId);

        // Examples are marked by the loader (src/Web/Examples); here the flag is set directly.
        await factory.Database.ScalarAsync<long>($"UPDATE sweeps SET is_example = true WHERE id = '{_example}' RETURNING 1::bigint");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> CreateProjectAsync(string token, string slug, string visibility)
    {
        using var client = factory.CreateClient(token);
        var response = await client.PostAsJsonAsync("/api/v1/projects", new { name = $"Project {slug}", slug, visibility });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return slug;
    }

    /// <summary>The ids the API lists for this test's sweeps (other tests' sweeps share the database).</summary>
    private async Task<List<Guid>> ListAsync(string query)
    {
        using var me = factory.CreateClient(_token);
        var page = await me.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps?name={_tag}&limit=50&{query}");
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
    }

    [Fact]
    public async Task Without_filters_the_caller_sees_their_own_and_the_internal_project_with_project_names()
    {
        using var me = factory.CreateClient(_token);
        var page = await me.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps?name={_tag}");
        var items = page.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetGuid());

        Assert.Equal(new HashSet<Guid> { _ownSweep, _example, _colleagueSweep, _guestSweep }, items.Keys.ToHashSet());
        Assert.Equal(_theirs, items[_colleagueSweep].GetProperty("projectSlug").GetString());
        Assert.True(items[_ownSweep].GetProperty("isMine").GetBoolean());
        Assert.False(items[_guestSweep].GetProperty("isMine").GetBoolean());
        Assert.Equal(_guestAlias, items[_guestSweep].GetProperty("owner").GetString());
        Assert.DoesNotContain("@", page.GetRawText(), StringComparison.Ordinal); // owners are aliases, never e-mail addresses
        Assert.Equal($"Project {_mine}", items[_ownSweep].GetProperty("projectName").GetString());
    }

    [Fact]
    public async Task Mine_lists_only_the_sweeps_the_caller_created_not_every_sweep_of_their_projects()
    {
        Assert.Equal(new HashSet<Guid> { _ownSweep, _example }, (await ListAsync("mine=true")).ToHashSet());
        Assert.Equal(4, (await ListAsync("mine=false")).Count);
    }

    [Fact]
    public async Task The_project_filter_takes_a_slug_or_an_id()
    {
        var theirsId = await factory.Database.ScalarAsync<Guid>($"SELECT id FROM projects WHERE slug = '{_theirs}'");

        Assert.Equal([_colleagueSweep], await ListAsync($"project={_theirs}"));
        Assert.Equal([_colleagueSweep], await ListAsync($"project={theirsId}"));
        Assert.Empty(await ListAsync($"project={_theirs}&mine=true"));
        Assert.Empty(await ListAsync("project=no-such-project"));
    }

    [Fact]
    public async Task The_example_filter_separates_examples_from_the_others()
    {
        Assert.Equal([_example], await ListAsync("example=true"));
        Assert.Equal(new HashSet<Guid> { _ownSweep, _colleagueSweep, _guestSweep }, (await ListAsync("example=false")).ToHashSet());
        Assert.Equal([_ownSweep], await ListAsync("example=false&mine=true"));
    }

    [Fact]
    public async Task The_list_page_pins_examples_above_the_others_and_filters_by_project_and_membership()
    {
        using var session = await factory.CreateSessionClientAsync(_email, Password);
        var parser = new HtmlParser();

        var all = parser.ParseDocument(await session.GetStringAsync($"/?q={_tag}"));
        var pinned = all.QuerySelector("#example-sweeps")!;
        Assert.Equal([$"example-{_tag}"], pinned.QuerySelectorAll("tr.sweep-row td:first-child a").Select(a => a.TextContent));
        Assert.NotNull(pinned.QuerySelector(".badge.example"));
        var others = all.QuerySelectorAll("#sweeps tr.sweep-row").ToList();
        Assert.Equal(new HashSet<string> { $"own-{_tag}", $"colleague-{_tag}", $"guest-{_tag}" }, others.Select(r => r.QuerySelector("td a")!.TextContent).ToHashSet());
        string OwnerOf(string name) => others.Single(r => r.QuerySelector("td a")!.TextContent == name).QuerySelector("td.owner")!.TextContent;
        Assert.Equal("you", OwnerOf($"own-{_tag}"));
        Assert.Equal(_guestAlias, OwnerOf($"guest-{_tag}"));
        Assert.True(pinned.CompareDocumentPosition(all.QuerySelector("#sweeps")!).HasFlag(AngleSharp.Dom.DocumentPositions.Following));

        // The project column links the project's page.
        var colleagueRow = others.Single(r => r.TextContent.Contains($"colleague-{_tag}", StringComparison.Ordinal));
        var projectLink = colleagueRow.QuerySelector("td.project a")!;
        Assert.Equal($"Project {_theirs}", projectLink.TextContent);
        Assert.Equal($"/projects/{_theirs}/members", projectLink.GetAttribute("href"));

        var mine = parser.ParseDocument(await session.GetStringAsync($"/?q={_tag}&mine=true"));
        Assert.Equal([$"own-{_tag}"], mine.QuerySelectorAll("#sweeps tr.sweep-row td:first-child a").Select(a => a.TextContent));
        Assert.True(mine.QuerySelector("#filter-mine")!.HasAttribute("checked"));
        Assert.NotNull(mine.QuerySelector("#example-sweeps"));

        var theirs = parser.ParseDocument(await session.GetStringAsync($"/?q={_tag}&project={_theirs}"));
        Assert.Equal([$"colleague-{_tag}"], theirs.QuerySelectorAll("#sweeps tr.sweep-row td:first-child a").Select(a => a.TextContent));
        Assert.Null(theirs.QuerySelector("#example-sweeps"));
        Assert.True(theirs.QuerySelector($"#filter-project option[value='{_theirs}']")!.HasAttribute("selected"));
        Assert.Contains($"project={_theirs}", theirs.QuerySelector("#sort-name")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.NotNull(theirs.QuerySelector("#clear-filters"));
    }
}
