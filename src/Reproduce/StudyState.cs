using System.Text.Json;

namespace Sweep.Reproduce;

/// <summary>
/// The sweep ids of a submitted study, kept beside the local database (under .sweep/) so that a rerun of the script
/// picks up the study it already submitted instead of paying for it twice.
/// </summary>
public sealed record StudyState(string Size, string Url, Dictionary<string, Guid> Sweeps, DateTimeOffset SubmittedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static StudyState? Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<StudyState>(File.ReadAllText(path), Json) : null;

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }
}
