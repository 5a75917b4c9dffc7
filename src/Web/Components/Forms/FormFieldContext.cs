using Microsoft.AspNetCore.Components;

namespace Sweep.Web.Components.Forms;

/// <summary>
/// What the fields of one form share, cascaded by the page: the messages per JSON path, the page's reaction to a
/// change, and the paths that are shown next to an input. The page cascades it without IsFixed, so that every render
/// of the page renders the fields again: a field's own parameters (strings, an EventCallback) often stay equal while
/// its messages change. A form lists the errors of every other path in one place
/// (<see cref="Unshown"/>), so an error the server adds for a new setting is never lost.
/// </summary>
/// <param name="messages">The messages for a path, or null when it has none (yet).</param>
/// <param name="changed">The page's handler after any field changed; the page renders again after it.</param>
public sealed class FormFieldContext(Func<string, IReadOnlyList<string>?> messages, EventCallback changed)
{
    private readonly HashSet<string> registered = [];

    /// <summary>How a message reads next to its field, e.g. without advice for API callers that <see cref="Fix"/> replaces.</summary>
    public Func<string, string> Wording { get; init; } = message => message;

    /// <summary>A control shown inside a field's error that fixes it, by path; it renders nothing where none applies.</summary>
    public RenderFragment<string>? Fix { get; init; }

    public IReadOnlyList<string>? Messages(string path) => messages(path);

    /// <summary>The messages as shown under the field: in the page's <see cref="Wording"/>.</summary>
    public IReadOnlyList<string>? Shown(string path) => Messages(path)?.Select(Wording).ToList();

    /// <summary>The value of aria-invalid: present only while the path has messages.</summary>
    public string? Invalid(string path) => Messages(path) is { Count: > 0 } ? "true" : null;

    /// <summary>The value of aria-describedby: the hint if there is one, then the error while there are messages.</summary>
    public string? Describe(string path, string? hint)
    {
        var ids = new List<string>();
        if (hint is not null)
        {
            ids.Add(FieldIds.Hint(path));
        }

        if (Messages(path) is { Count: > 0 })
        {
            ids.Add(FieldIds.Error(path));
        }

        return ids.Count == 0 ? null : string.Join(' ', ids);
    }

    public Task ChangedAsync() => changed.InvokeAsync();

    /// <summary>Marks a path as shown next to an input; fields call it when they are created.</summary>
    public void Register(string path) => registered.Add(path);

    /// <summary>Every message of a path no field registered, in the order given.</summary>
    public List<(string Path, string Message)> Unshown(IEnumerable<KeyValuePair<string, string[]>> errors) =>
        errors.Where(e => !registered.Contains(e.Key))
            .SelectMany(e => e.Value.Select(m => (e.Key, m)))
            .ToList();
}
