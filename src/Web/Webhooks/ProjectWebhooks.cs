using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Commands;
using Sweep.Data.Entities;
using Sweep.Domain.Webhooks;

namespace Sweep.Web.Webhooks;

/// <summary>A project's webhooks: create (the secret is returned once), list, delete, test, and the delivery log. Callers check ownership.</summary>
public sealed class ProjectWebhooks(IDbContextFactory<SweepDbContext> contexts, WebhookSecrets secrets, TimeProvider clock)
{
    public const int MaxPerProject = 20;

    public const int LogRows = 100;

    /// <summary>The new hook and its secret (shown once), or the field errors.</summary>
    public async Task<(WebhookView? Webhook, string? Secret, Dictionary<string, string[]> Errors)> CreateAsync(
        Guid projectId, Guid? createdBy, string? url, IReadOnlyList<string>? events, string? preset, CancellationToken ct)
    {
        preset = string.IsNullOrWhiteSpace(preset) ? WebhookPresets.Json : preset.Trim();
        var errors = WebhookValidation.Validate(url, events, preset);
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (errors.Count == 0 && await db.Webhooks.CountAsync(w => w.ProjectId == projectId, ct) >= MaxPerProject)
        {
            errors["url"] = [$"A project has at most {MaxPerProject} webhooks; delete one first."];
        }

        if (errors.Count > 0)
        {
            return (null, null, errors);
        }

        var secret = WebhookSecrets.New();
        var record = new WebhookRecord
        {
            Id = Guid.CreateVersion7(), ProjectId = projectId, Url = url!.Trim(), Events = events!.Distinct(StringComparer.Ordinal).ToArray(),
            ProtectedSecret = secrets.Protect(secret), Preset = preset, CreatedBy = createdBy, CreatedAt = clock.GetUtcNow(),
        };
        db.Webhooks.Add(record);
        await db.SaveChangesAsync(ct);
        return (WebhookView.Of(record), secret, errors);
    }

    public async Task<List<WebhookView>> ListAsync(Guid projectId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Webhooks.AsNoTracking().Where(w => w.ProjectId == projectId).OrderBy(w => w.CreatedAt).ToListAsync(ct);
        return rows.Select(WebhookView.Of).ToList();
    }

    /// <summary>Deletes the hook and its delivery log (cascade). False: no such hook in the project.</summary>
    public async Task<bool> DeleteAsync(Guid projectId, Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Webhooks.Where(w => w.Id == id && w.ProjectId == projectId).ExecuteDeleteAsync(ct) == 1;
    }

    /// <summary>Enqueues a <c>test</c> event for the hook. False: no such hook in the project.</summary>
    public async Task<bool> TestAsync(Guid projectId, Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await WebhookOutbox.EnqueueTestAsync(db, projectId, id, ct);
    }

    /// <summary>The hook's newest deliveries (at most <paramref name="limit"/>), or null when there is no such hook in the project.</summary>
    public async Task<List<WebhookDeliveryView>?> DeliveriesAsync(Guid projectId, Guid id, int limit, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Webhooks.AnyAsync(w => w.Id == id && w.ProjectId == projectId, ct))
        {
            return null;
        }

        var rows = await db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == id)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(Math.Min(limit, LogRows)).ToListAsync(ct);
        return rows.Select(WebhookDeliveryView.Of).ToList();
    }
}
