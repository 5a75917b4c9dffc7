namespace Sweep.Web.Components.Forms;

/// <summary>
/// Element ids derived from a spec's JSON path, so that an error keyed "grid.ghostBatchSize" lands in
/// <c>error-grid-ghostBatchSize</c> right under the input <c>field-grid-ghostBatchSize</c> that describes it.
/// </summary>
public static class FieldIds
{
    public static string Input(string path) => "field-" + Slug(path);

    public static string Error(string path) => "error-" + Slug(path);

    public static string Hint(string path) => "hint-" + Slug(path);

    private static string Slug(string path) => path.Replace('.', '-');
}
