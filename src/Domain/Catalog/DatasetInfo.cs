namespace Sweep.Domain.Catalog;

/// <summary>What Sweep knows about a dataset before touching its files: split sizes and sample shape.</summary>
public sealed record DatasetInfo(string Name, int TrainSize, int TestSize, int Classes, int Channels, int Height, int Width)
{
    public int Features => Channels * Height * Width;
}

public static class Datasets
{
    public static DatasetInfo FashionMnist { get; } = new("fashion-mnist", 60_000, 10_000, 10, 1, 28, 28);

    public static DatasetInfo Mnist { get; } = new("mnist", 60_000, 10_000, 10, 1, 28, 28);

    public static IReadOnlyList<DatasetInfo> All { get; } = [FashionMnist, Mnist];

    public static DatasetInfo? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
}
