using System.Net;
using AngleSharp.Html.Parser;
using Sweep.Web.Tests.Security;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>
/// The project's webhooks page: owners add a hook (its secret shown once), send it a test event that appears in its
/// delivery log, and delete it; bad input is an inline error; members who are not owners see none of it.
/// </summary>
[Collection(SharedHost.Pages)]
public sealed class ProjectWebhooksPageTests(SweepWebFactory factory)
{
    private readonly HtmlParser _parser = new();

    private async Task<AngleSharp.Html.Dom.IHtmlDocument> PageAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode} instead of {(int)expected}: {html}");
        return _parser.ParseDocument(html);
    }

    [Fact]
    public async Task An_owner_adds_a_hook_sees_its_secret_once_sends_a_test_and_deletes_it()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var owner = await world.SessionAsync(world.OwnerB);
        var path = $"/projects/{world.SlugB}/webhooks";
        var url = $"http://127.0.0.1:9/hooks/{world.Tag}";
        Assert.NotNull((await PageAsync(await owner.GetAsync(path))).QuerySelector("#no-webhooks"));

        var created = await PageAsync(await Forms.PostAsync(owner, path, "create-webhook", new KeyValuePair<string, string>[]
        {
            new("Input.Url", url), new("webhook-events", "sweep.finished"), new("webhook-events", "trial.out-of-memory"), new("Input.Preset", "slack"),
        }));
        var secret = created.QuerySelector("#new-webhook-secret")!.TextContent;
        Assert.True(secret.Length >= 32, secret);
        Assert.Equal($"Webhook added for {url}.", created.QuerySelector("#webhook-confirmation")!.TextContent);
        var section = created.QuerySelector("section.webhook")!;
        Assert.Equal(url, section.QuerySelector("h2 code")!.TextContent);
        Assert.Contains("slack body · events: sweep.finished, trial.out-of-memory", section.TextContent, StringComparison.Ordinal);
        var hookId = section.QuerySelector("button.webhook-test")!.GetAttribute("value")!;

        var reloaded = await PageAsync(await owner.GetAsync(path));
        Assert.Null(reloaded.QuerySelector("#new-webhook-secret"));
        Assert.DoesNotContain(secret, reloaded.DocumentElement.OuterHtml, StringComparison.Ordinal);

        var tested = await PageAsync(await Forms.PostAsync(owner, path, "webhook-actions", new Dictionary<string, string> { ["TestId"] = hookId }));
        Assert.StartsWith("A test event is queued", tested.QuerySelector("#webhook-confirmation")!.TextContent, StringComparison.Ordinal);
        var row = tested.QuerySelector($"#webhook-{hookId} table.webhook-deliveries tbody tr")!;
        Assert.Equal("test", row.QuerySelector("td code")!.TextContent);

        var deleted = await PageAsync(await Forms.PostAsync(owner, path, "webhook-actions", new Dictionary<string, string> { ["DeleteId"] = hookId }));
        Assert.Equal("Webhook deleted, with its delivery log.", deleted.QuerySelector("#webhook-confirmation")!.TextContent);
        Assert.Null(deleted.QuerySelector("section.webhook"));
        Assert.NotNull(deleted.QuerySelector("#no-webhooks"));
    }

    [Fact]
    public async Task A_bad_url_or_no_event_is_an_inline_error_and_adds_nothing()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var owner = await world.SessionAsync(world.OwnerB);
        var path = $"/projects/{world.SlugB}/webhooks";

        var page = await PageAsync(await Forms.PostAsync(owner, path, "create-webhook", new KeyValuePair<string, string>[] { new("Input.Url", "ftp://hooks.test/x") }));

        Assert.NotEmpty(page.QuerySelectorAll("p.field-error"));
        Assert.Null(page.QuerySelector("#new-webhook-secret"));
        Assert.Null(page.QuerySelector("section.webhook"));
        Assert.Equal("ftp://hooks.test/x", page.QuerySelector("#webhook-url")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Members_who_are_not_owners_see_no_hooks_and_cannot_add_one()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var owner = await world.SessionAsync(world.OwnerB);
        using var viewer = await world.SessionAsync(world.ViewerB);
        using var editor = await world.SessionAsync(world.EditorB);
        var path = $"/projects/{world.SlugB}/webhooks";
        var url = $"http://127.0.0.1:9/private/{world.Tag}";
        await Forms.PostAsync(owner, path, "create-webhook", new KeyValuePair<string, string>[] { new("Input.Url", url), new("webhook-events", "trial.failed") });

        foreach (var member in new[] { viewer, editor })
        {
            var page = await PageAsync(await member.GetAsync(path), HttpStatusCode.Forbidden);
            Assert.NotNull(page.QuerySelector("#webhooks-owners-only"));
            Assert.DoesNotContain(url, page.DocumentElement.OuterHtml, StringComparison.Ordinal);
            Assert.Null(page.QuerySelector("#webhook-url"));
        }

        var listed = await PageAsync(await owner.GetAsync(path));
        Assert.Single(listed.QuerySelectorAll("section.webhook"));
    }
}
