using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sweep.Data.Entities;

namespace Sweep.Web.Tests.Security;

/// <summary>
/// Two teams, each with a private project and a sweep, plus a viewer and an editor of team B's project. Accounts,
/// tokens and projects are made through the app itself (registration service, token service, projects API). None of
/// them has a role in the default project.
/// </summary>
public sealed class SecurityWorld
{
    public const string Password = "Correct-horse-9";

    public required SweepWebFactory Factory { get; init; }

    public required string OwnerA { get; init; }

    public required string OwnerB { get; init; }

    public required string ViewerB { get; init; }

    public required string EditorB { get; init; }

    public required string SlugA { get; init; }

    public required string SlugB { get; init; }

    public required Guid SweepB { get; init; }

    public required Guid TrialB { get; init; }

    public required string SweepBName { get; init; }

    /// <summary>What the accounts' e-mail addresses are made from.</summary>
    public required string Tag { get; init; }

    public string EmailA => $"a-{Tag}@team.test";

    public string EmailB => $"b-{Tag}@team.test";

    public string EmailViewerB => $"bv-{Tag}@team.test";

    public string EmailEditorB => $"be-{Tag}@team.test";

    /// <summary>Each account's e-mail by its token, for signing in: pages know sessions only.</summary>
    public IReadOnlyDictionary<string, string> Emails => new Dictionary<string, string>
    {
        [OwnerA] = EmailA, [OwnerB] = EmailB, [ViewerB] = EmailViewerB, [EditorB] = EmailEditorB,
    };

    /// <summary>A client signed in (session cookie) as the account whose token is <paramref name="token"/>.</summary>
    public Task<HttpClient> SessionAsync(string token) => Factory.CreateSessionClientAsync(Emails[token], Password);

    public static async Task<SecurityWorld> CreateAsync(SweepWebFactory factory)
    {
        _ = factory.AdminToken;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (_, ownerA) = await factory.CreateUserAsync($"a-{tag}@team.test", Password);
        var (_, ownerB) = await factory.CreateUserAsync($"b-{tag}@team.test", Password);
        var (_, viewerB) = await factory.CreateUserAsync($"bv-{tag}@team.test", Password);
        var (_, editorB) = await factory.CreateUserAsync($"be-{tag}@team.test", Password);

        var slugA = await CreateProjectAsync(factory, ownerA, $"team-a-{tag}");
        var slugB = await CreateProjectAsync(factory, ownerB, $"team-b-{tag}");
        using var b = factory.CreateClient(ownerB);
        await SetMemberAsync(b, slugB, $"bv-{tag}@team.test", ProjectRoles.Viewer);
        await SetMemberAsync(b, slugB, $"be-{tag}@team.test", ProjectRoles.Editor);

        var name = $"secret-sweep-{tag}";
        var sweep = await CreateSweepAsync(b, name, slugB);
        var trial = (await b.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}")).GetProperty("trials")[0].GetProperty("id").GetGuid();
        return new SecurityWorld
        {
            Factory = factory, OwnerA = ownerA, OwnerB = ownerB, ViewerB = viewerB, EditorB = editorB,
            SlugA = slugA, SlugB = slugB, SweepB = sweep, TrialB = trial, SweepBName = name, Tag = tag,
        };
    }

    public static async Task<Guid> CreateSweepAsync(HttpClient client, string name, string? project)
    {
        var projectField = project is null ? "" : $",\"project\":\"{project}\"";
        var body = $$"""
            {"name":"{{name}}","grid":{"batchSize":[128,256],"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[],"seeds":[1]}{{projectField}}}
            """;
        var response = await client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<string> CreateProjectAsync(SweepWebFactory factory, string token, string slug)
    {
        using var client = factory.CreateClient(token);
        var response = await client.PostAsJsonAsync("/api/v1/projects", new { name = slug, slug, visibility = ProjectVisibility.Private });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return slug;
    }

    private static async Task SetMemberAsync(HttpClient owner, string slug, string email, string role)
    {
        var response = await owner.PutAsJsonAsync($"/api/v1/projects/{slug}/members", new { email, role });
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
    }
}
