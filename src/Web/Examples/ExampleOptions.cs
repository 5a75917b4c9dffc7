namespace Sweep.Web.Examples;

/// <summary>Where the published example sweeps (sweep archives, *.sweep.json.gz) are loaded from at start.</summary>
public sealed class ExampleOptions
{
    public const string Section = "Examples";

    /// <summary>A folder of archives, relative to the content root; empty loads none.</summary>
    public string Folder { get; set; } = "";
}
