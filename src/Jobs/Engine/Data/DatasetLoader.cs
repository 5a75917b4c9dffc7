using Sweep.Domain.Catalog;

namespace Sweep.Jobs.Engine.Data;

/// <summary>Loads any dataset of the catalog from its files, downloading them (verified) on first use.</summary>
public static class DatasetLoader
{
    public static LoadedDataset Load(DatasetInfo dataset, string? dataDir)
    {
        DatasetDownloader.EnsureAvailable(dataset.Name, dataDir);
        return dataset.IsMnistLike
            ? MnistLikeLoader.Load(dataset.Name, dataDir)
            : CifarLoader.Load(dataset.Name, dataDir);
    }
}
