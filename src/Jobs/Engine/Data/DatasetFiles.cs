namespace Sweep.Jobs.Engine.Data;

/// <summary>
/// Finds a dataset's files on disk: in the configured folder, in Sweep's cache, or where a Debian package put
/// them (dataset-fashion-mnist installs Fashion-MNIST under /usr/share/datasets). Each file may be gzipped or raw.
/// </summary>
public static class DatasetFiles
{
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>The cache Sweep uses when no folder is configured: $SWEEP_DATA_DIR, else ~/.cache/sweep/datasets.</summary>
    public static string DefaultCacheRoot =>
        Environment.GetEnvironmentVariable("SWEEP_DATA_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "sweep", "datasets");

    public static IReadOnlyList<string> CandidateFolders(string dataset, string? configured)
    {
        var folders = new List<string>();
        if (!string.IsNullOrEmpty(configured))
        {
            folders.Add(configured);
            folders.Add(Path.Combine(configured, dataset));
        }

        folders.Add(Path.Combine(DefaultCacheRoot, dataset));
        folders.Add(Path.Combine("/usr/share/datasets", dataset));
        return folders;
    }

    /// <summary>The path of one file of the dataset, or an error that says where to put it.</summary>
    public static string Locate(string dataset, string? configured, string baseName)
    {
        var folders = CandidateFolders(dataset, configured);
        foreach (var folder in folders)
        {
            foreach (var name in new[] { baseName + ".gz", baseName })
            {
                var path = Path.Combine(folder, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        throw new FileNotFoundException(
            $"Dataset '{dataset}': file {baseName}.gz (or {baseName}) is missing. Put it in {folders[0]}; searched: {string.Join(", ", folders)}.",
            baseName + ".gz");
    }
}
