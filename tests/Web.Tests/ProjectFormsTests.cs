using System.Net;
using AngleSharp.Html.Parser;
using Sweep.Web.Tests.Security;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>The projects and members forms: after a success each says what it did and comes back empty.</summary>
[Collection(SharedHost.Pages)]
public sealed class ProjectFormsTests(SweepWebFactory factory)
{
    private const string Password = "Correct-horse-9";

    private readonly HtmlParser _parser = new();

    [Fact]
    public async Task Creating_a_project_confirms_it_and_clears_the_form()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var email = $"creator-{tag}@lab.test";
        await factory.CreateUserAsync(email, Password);
        using var session = await factory.CreateSessionClientAsync(email, Password);

        var response = await Forms.PostAsync(session, "/projects", "create-project", new Dictionary<string, string>
        {
            ["Input.Name"] = $"Vision {tag}", ["Input.Slug"] = $"vision-{tag}", ["Input.Visibility"] = "private",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = _parser.ParseDocument(await response.Content.ReadAsStringAsync());
        var confirmation = page.QuerySelector("#project-created")!;
        Assert.Contains($"Vision {tag}", confirmation.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/projects/vision-{tag}/members", confirmation.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("", page.QuerySelector("#project-name")!.GetAttribute("value") ?? "");
        Assert.Equal("", page.QuerySelector("#project-slug")!.GetAttribute("value") ?? "");
        Assert.Contains(page.QuerySelectorAll("#projects td code"), c => c.TextContent == $"vision-{tag}");

        // A failed attempt keeps what was typed and confirms nothing.
        var again = await Forms.PostAsync(session, "/projects", "create-project", new Dictionary<string, string>
        {
            ["Input.Name"] = $"Vision {tag}", ["Input.Slug"] = $"vision-{tag}", ["Input.Visibility"] = "private",
        });
        var failed = _parser.ParseDocument(await again.Content.ReadAsStringAsync());
        Assert.Null(failed.QuerySelector("#project-created"));
        Assert.Equal($"vision-{tag}", failed.QuerySelector("#project-slug")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Adding_a_member_and_making_an_invite_confirm_and_clear_their_forms()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var owner = await world.SessionAsync(world.OwnerB);
        var path = $"/projects/{world.SlugB}/members";

        var added = await Forms.PostAsync(owner, path, "set-member", new Dictionary<string, string> { ["Input.Email"] = world.EmailA, ["Input.Role"] = "editor" });
        var page = _parser.ParseDocument(await added.Content.ReadAsStringAsync());
        Assert.Equal($"{world.EmailA} is now editor of {world.SlugB}.", page.QuerySelector("#member-confirmation")!.TextContent);
        Assert.Equal("", page.QuerySelector("#member-email")!.GetAttribute("value") ?? "");
        Assert.Contains(page.QuerySelectorAll("#members td"), td => td.TextContent == world.EmailA);

        var invited = await Forms.PostAsync(owner, path, "create-invite", new Dictionary<string, string> { ["Invite.Email"] = "new@lab.test", ["Invite.Role"] = "viewer" });
        var invitePage = _parser.ParseDocument(await invited.Content.ReadAsStringAsync());
        Assert.Contains("Invite link created for a new viewer (new@lab.test only)", invitePage.QuerySelector("#member-confirmation")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("", invitePage.QuerySelector("#invite-email")!.GetAttribute("value") ?? "");
        Assert.NotNull(invitePage.QuerySelector("#new-invite"));

        // An unknown address is an error, with the address kept and no confirmation.
        var unknown = await Forms.PostAsync(owner, path, "set-member", new Dictionary<string, string> { ["Input.Email"] = $"nobody-{world.Tag}@lab.test", ["Input.Role"] = "editor" });
        var unknownPage = _parser.ParseDocument(await unknown.Content.ReadAsStringAsync());
        Assert.Null(unknownPage.QuerySelector("#member-confirmation"));
        Assert.Equal($"nobody-{world.Tag}@lab.test", unknownPage.QuerySelector("#member-email")!.GetAttribute("value"));
    }
}
