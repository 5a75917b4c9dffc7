using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Sweep.Data.Entities;
using Sweep.Web.Access;
using Sweep.Web.Webhooks;

namespace Sweep.Web.Api;

/// <summary>
/// /api/v1/projects/{project}/webhooks: a project's webhooks (owners only). Creating one returns its signing secret
/// once; later reads never show it. POST …/{webhookId}/test enqueues a <c>test</c> event; GET …/{webhookId}/deliveries is the log.
/// </summary>
public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/projects/{project}/webhooks").WithTags("Webhooks").RequireProjectAccess(ProjectRoles.Owner);
        group.MapGet("/", ListAsync).WithName("ListWebhooks").WithSummary("The project's webhooks, never their secrets (owners only).");
        group.MapPost("/", CreateAsync).WithName("CreateWebhook")
            .WithSummary("A webhook for the named events (owners only); its signing secret is in this response only.");
        group.MapDelete("/{webhookId:guid}", DeleteAsync).WithName("DeleteWebhook").WithSummary("Delete a webhook and its delivery log.");
        group.MapPost("/{webhookId:guid}/test", TestAsync).WithName("TestWebhook").WithSummary("Enqueue a 'test' event for the webhook.");
        group.MapGet("/{webhookId:guid}/deliveries", DeliveriesAsync).WithName("ListWebhookDeliveries").WithSummary($"The webhook's newest deliveries (at most {ProjectWebhooks.LogRows}).");
        return app;
    }

    internal static async Task<Results<Ok<List<WebhookView>>, NotFound, ForbidHttpResult>> ListAsync(
        string project, ClaimsPrincipal user, Projects projects, ProjectWebhooks webhooks, CancellationToken ct) =>
        await OwnedAsync(project, user, projects, ct) switch
        {
            (AccessOutcome.Allowed, var id) => TypedResults.Ok(await webhooks.ListAsync(id, ct)),
            (AccessOutcome.Forbidden, _) => TypedResults.Forbid(),
            _ => TypedResults.NotFound(),
        };

    internal static async Task<Results<Created<CreatedWebhookResponse>, NotFound, ForbidHttpResult, ValidationProblem>> CreateAsync(
        string project, WebhookCreateRequest? request, ClaimsPrincipal user, Projects projects, ProjectWebhooks webhooks, CancellationToken ct)
    {
        var (outcome, id) = await OwnedAsync(project, user, projects, ct);
        if (outcome != AccessOutcome.Allowed)
        {
            return outcome == AccessOutcome.Forbidden ? TypedResults.Forbid() : TypedResults.NotFound();
        }

        var (hook, secret, errors) = await webhooks.CreateAsync(id, user.UserId(), request?.Url, request?.Events, request?.Preset, ct);
        return hook is null
            ? TypedResults.ValidationProblem(errors, title: "The webhook is not valid.")
            : TypedResults.Created($"/api/v1/projects/{id}/webhooks/{hook.Id}", new CreatedWebhookResponse(secret!, hook));
    }

    internal static async Task<Results<NoContent, NotFound>> DeleteAsync(
        string project, Guid webhookId, ClaimsPrincipal user, Projects projects, ProjectWebhooks webhooks, CancellationToken ct) =>
        await OwnedAsync(project, user, projects, ct) is (AccessOutcome.Allowed, var projectId) && await webhooks.DeleteAsync(projectId, webhookId, ct)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();

    internal static async Task<Results<Accepted, NotFound>> TestAsync(
        string project, Guid webhookId, ClaimsPrincipal user, Projects projects, ProjectWebhooks webhooks, CancellationToken ct) =>
        await OwnedAsync(project, user, projects, ct) is (AccessOutcome.Allowed, var projectId) && await webhooks.TestAsync(projectId, webhookId, ct)
            ? TypedResults.Accepted($"/api/v1/projects/{projectId}/webhooks/{webhookId}/deliveries")
            : TypedResults.NotFound();

    internal static async Task<Results<Ok<List<WebhookDeliveryView>>, NotFound>> DeliveriesAsync(
        string project, Guid webhookId, ClaimsPrincipal user, Projects projects, ProjectWebhooks webhooks, CancellationToken ct) =>
        await OwnedAsync(project, user, projects, ct) is (AccessOutcome.Allowed, var projectId) && await webhooks.DeliveriesAsync(projectId, webhookId, ProjectWebhooks.LogRows, ct) is { } log
            ? TypedResults.Ok(log)
            : TypedResults.NotFound();

    /// <summary>The project (id or slug) and whether the caller owns it; administrators own every project.</summary>
    private static async Task<(AccessOutcome Outcome, Guid Id)> OwnedAsync(string project, ClaimsPrincipal user, Projects projects, CancellationToken ct) =>
        await projects.FindAsync(project, ct) is { } id
            ? (await projects.CheckAsync(user, id, ProjectRoles.Owner, ct), id)
            : (AccessOutcome.Missing, Guid.Empty);
}

/// <summary>Url: absolute http(s); Events: from WebhookEvents.All; Preset: json (default) or slack.</summary>
public sealed record WebhookCreateRequest(string? Url, IReadOnlyList<string>? Events, string? Preset);

/// <summary>The secret is shown here only; store it where the receiver reads it.</summary>
public sealed record CreatedWebhookResponse(string Secret, WebhookView Webhook);
