using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests.Security;

/// <summary>Issue 13, item 6: members lists show e-mail addresses only to owners and administrators.</summary>
[Collection(SharedHost.Attacks)]
public sealed class MemberEmailAttackTests(SweepWebFactory factory)
{
    [Fact]
    public async Task Item6_Members_lists_show_emails_only_to_owners_and_administrators()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        var emails = new[] { world.EmailB, world.EmailViewerB, world.EmailEditorB };
        var path = $"/api/v1/projects/{world.SlugB}/members";

        foreach (var token in new[] { world.ViewerB, world.EditorB })
        {
            using var member = factory.CreateClient(token);
            var response = await member.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("@team.test", body, StringComparison.Ordinal);
            var list = JsonDocument.Parse(body).RootElement;
            Assert.Equal(3, list.GetArrayLength());
            Assert.All(list.EnumerateArray(), m =>
            {
                Assert.Equal(JsonValueKind.Null, m.GetProperty("email").ValueKind);
                Assert.StartsWith("member ", m.GetProperty("name").GetString());
            });
        }

        foreach (var client in new[] { factory.CreateClient(world.OwnerB), factory.CreateClient() })
        {
            var list = await client.GetFromJsonAsync<JsonElement>(path);
            Assert.Equal(emails.Order(), list.EnumerateArray().Select(m => m.GetProperty("email").GetString()!).Order());
        }

        // The members page, in a viewer's signed-in session, shows no address either; the owner's shows them.
        using var viewer = factory.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SignInAsync(viewer, world.EmailViewerB, SecurityWorld.Password)).StatusCode);
        var page = await viewer.GetStringAsync($"/projects/{world.SlugB}/members");
        Assert.Contains("member ", page);
        Assert.DoesNotContain(world.EmailB, page, StringComparison.Ordinal); // the viewer's own address is in the page's header
        Assert.DoesNotContain(world.EmailEditorB, page, StringComparison.Ordinal);

        using var owner = factory.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SignInAsync(owner, world.EmailB, SecurityWorld.Password)).StatusCode);
        Assert.Contains(world.EmailViewerB, await owner.GetStringAsync($"/projects/{world.SlugB}/members"));
    }

    [Fact]
    public async Task Item4_An_owner_makes_an_invite_link_on_the_members_page_and_sees_it_once()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var owner = factory.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SignInAsync(owner, world.EmailB, SecurityWorld.Password)).StatusCode);
        var page = $"/projects/{world.SlugB}/members";
        var made = await Forms.PostAsync(owner, page, "create-invite", new Dictionary<string, string> { ["Invite.Role"] = "viewer" });
        var html = await made.Content.ReadAsStringAsync();
        var link = System.Text.RegularExpressions.Regex.Match(html, "id=\"new-invite\">[^<]*/account/register\\?invite=(swi_[A-Za-z0-9_\\-]+)<");
        Assert.True(link.Success, "the page shows no invite link");
        Assert.DoesNotContain(link.Groups[1].Value, await owner.GetStringAsync(page));

        var email = $"joined-{Guid.NewGuid():N}@team.test";
        Assert.Equal(HttpStatusCode.Redirect, (await Registration.RegisterAsync(factory.CreateAnonymousClient(), email, page: "/account/register?invite=" + link.Groups[1].Value)).StatusCode);
        using var ownerApi = factory.CreateClient(world.OwnerB);
        var members = await ownerApi.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{world.SlugB}/members");
        Assert.Contains(members.EnumerateArray(), m => m.GetProperty("email").GetString() == email && m.GetProperty("role").GetString() == "viewer");

        // A viewer's page has no invite form.
        using var viewer = factory.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SignInAsync(viewer, world.EmailViewerB, SecurityWorld.Password)).StatusCode);
        Assert.DoesNotContain("create-invite", await viewer.GetStringAsync(page));
    }
}
