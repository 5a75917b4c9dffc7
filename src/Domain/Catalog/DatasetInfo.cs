namespace Sweep.Domain.Catalog;

/// <summary>What Sweep knows about a dataset before touching its files: split sizes and sample shape.</summary>
public sealed record DatasetInfo(string Name, int TrainSize, int TestSize, int Classes, int Channels, int Height, int Width)
{
    public int Features => Channels * Height * Width;

    public bool IsMnistLike => Channels == 1 && Height == 28;
}

public static class Datasets
{
    public static DatasetInfo FashionMnist { get; } = new("fashion-mnist", 60_000, 10_000, 10, 1, 28, 28);

    public static DatasetInfo Mnist { get; } = new("mnist", 60_000, 10_000, 10, 1, 28, 28);

    public static DatasetInfo Cifar10 { get; } = new("cifar10", 50_000, 10_000, 10, 3, 32, 32);

    public static DatasetInfo Cifar100 { get; } = new("cifar100", 50_000, 10_000, 100, 3, 32, 32);

    public static IReadOnlyList<DatasetInfo> All { get; } = [FashionMnist, Mnist, Cifar10, Cifar100];

    public static DatasetInfo? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
}
