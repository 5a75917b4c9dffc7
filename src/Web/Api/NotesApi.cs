using Microsoft.AspNetCore.Http.HttpResults;
using Sweep.Data.Entities;
using Sweep.Domain.Sweeps;
using Sweep.Web.Access;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Api;

/// <summary>
/// PUT /api/v1/sweeps/{id}/notes, /api/v1/trials/{id}/notes and /api/v1/sweeps/{id}/tags: editors write a sweep's or
/// trial's Markdown note and a sweep's tags. Viewers and share links read them in GET of the sweep or trial.
/// </summary>
public static class NotesApi
{
    public static IEndpointRouteBuilder MapNotesApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/v1/sweeps/{id:guid}/notes", SetSweepNoteAsync).WithTags("Sweeps")
            .RequireSweepAccess(ProjectRoles.Editor).WithName("SetSweepNotes")
            .WithSummary("Replace the sweep's Markdown note (up to 64 KiB; blank clears it). Answers the note with its sanitized HTML.");
        app.MapPut("/api/v1/trials/{id:guid}/notes", SetTrialNoteAsync).WithTags("Trials")
            .RequireTrialAccess(ProjectRoles.Editor).WithName("SetTrialNotes")
            .WithSummary("Replace the trial's Markdown note (up to 64 KiB; blank clears it). Answers the note with its sanitized HTML.");
        app.MapPut("/api/v1/sweeps/{id:guid}/tags", SetTagsAsync).WithTags("Sweeps")
            .RequireSweepAccess(ProjectRoles.Editor).WithName("SetSweepTags")
            .WithSummary("Replace the sweep's tags: at most 16, each 1–32 characters of a–z, 0–9, '-', '_', '.' (upper case is folded).");
        return app;
    }

    internal static Task<Results<Ok<NoteView>, NotFound, ValidationProblem>> SetSweepNoteAsync(Guid id, NoteRequest request, SweepNotes notes, CancellationToken ct) =>
        SetNoteAsync(request, markdown => notes.SetSweepNoteAsync(id, markdown, ct));

    internal static Task<Results<Ok<NoteView>, NotFound, ValidationProblem>> SetTrialNoteAsync(Guid id, NoteRequest request, SweepNotes notes, CancellationToken ct) =>
        SetNoteAsync(request, markdown => notes.SetTrialNoteAsync(id, markdown, ct));

    private static async Task<Results<Ok<NoteView>, NotFound, ValidationProblem>> SetNoteAsync(NoteRequest request, Func<string?, Task<bool>> save)
    {
        var errors = SweepNotes.Errors(request.Markdown);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The note is not valid.");
        }

        return await save(request.Markdown) ? TypedResults.Ok(NoteView.Of(request.Markdown)) : TypedResults.NotFound();
    }

    internal static async Task<Results<Ok<TagsView>, NotFound, ValidationProblem>> SetTagsAsync(Guid id, TagsRequest request, SweepNotes notes, CancellationToken ct)
    {
        var (tags, errors) = SweepTags.Normalize(request.Tags);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The tags are not valid.");
        }

        return await notes.SetTagsAsync(id, tags, ct) ? TypedResults.Ok(new TagsView(tags)) : TypedResults.NotFound();
    }
}

/// <param name="Markdown">The note's text; null or blank clears the note.</param>
public sealed record NoteRequest(string? Markdown);

/// <param name="Markdown">The note as stored; null when cleared.</param>
/// <param name="Html">The note rendered and sanitized, as the pages show it.</param>
public sealed record NoteView(string? Markdown, string Html)
{
    public static NoteView Of(string? markdown) =>
        new(string.IsNullOrWhiteSpace(markdown) ? null : markdown, MarkdownNote.ToHtml(markdown));
}

public sealed record TagsRequest(IReadOnlyList<string>? Tags);

public sealed record TagsView(IReadOnlyList<string> Tags);
