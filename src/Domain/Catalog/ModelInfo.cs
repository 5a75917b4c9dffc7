namespace Sweep.Domain.Catalog;

/// <summary>A network the engine can build, the datasets it is meant for, and its reference training regime.</summary>
public sealed record ModelInfo(string Name, string Description, IReadOnlyList<string> Datasets, RegimeDefaults Regime)
{
    /// <summary>
    /// How much the smallest BN layer's feature map is downsampled from the input side (4: 32×32 → 8×8), or 0 when
    /// the model has a 1-D BN (one value per channel and sample). Read from the engine's model code.
    /// </summary>
    public int SmallestBnDownsampling { get; init; }

    /// <summary>
    /// H·W of the smallest BN layer on <paramref name="dataset"/>: the values per channel that one sample adds to a
    /// ghost batch's statistics. 1 for a 1-D BN.
    /// </summary>
    public int SmallestBnSpatialSize(DatasetInfo dataset) =>
        SmallestBnDownsampling == 0
            ? 1
            : Math.Max(1, dataset.Height / SmallestBnDownsampling) * Math.Max(1, dataset.Width / SmallestBnDownsampling);
}

/// <summary>
/// A model's training regime in the authors' code (bigBatch / convNet.pytorch). A sweep request that leaves a
/// setting out gets it from here; the stored spec always holds the explicit values.
/// </summary>
public sealed record RegimeDefaults(
    int Epochs,
    double LearningRate,
    double Momentum,
    double WeightDecay,
    IReadOnlyList<int> LrDropEpochs,
    IReadOnlyList<double> LrDropFactors)
{
    /// <summary>Epochs at which the authors' regime re-creates the optimizer (bigBatch's ResNet at 122), resetting momentum.</summary>
    public IReadOnlyList<int> MomentumResetEpochs { get; init; } = [];
}

public static class Models
{
    public static ModelInfo F1 { get; } = new(
        "f1",
        "Keskar's F1 as in bigBatch: 784 → 5 × [Linear 512, BN, ReLU] → Linear 10",
        ["fashion-mnist", "mnist"],
        new RegimeDefaults(50, 0.1, 0.9, 1e-4, [10, 20, 30], [0.1, 0.1, 0.1]));

    // The BN spatial sizes below follow src/Jobs/Engine/Models: F1 and the shallow nets' classifier use 1-D BN; the
    // CIFAR ResNets' last stage is 8×8 (two stride-2 stages); VGG-16's last BN sits at 2×2 (four pools before it).

    // bigBatch's cifar_shallow sets no momentum (it stays 0) and raises the LR at epoch 60 before lowering it.
    private static readonly RegimeDefaults Shallow = new(200, 1e-3, 0, 5e-4, [60, 120, 180], [10, 0.1, 0.1]);

    public static ModelInfo C1 { get; } = new("c1", "Keskar's shallow conv net (C1) on CIFAR-10", ["cifar10"], Shallow);

    public static ModelInfo C3 { get; } = new("c3", "Keskar's shallow conv net (C3) on CIFAR-100", ["cifar100"], Shallow);

    private static readonly RegimeDefaults ResNet = new(200, 0.1, 0.9, 1e-4, [81, 122, 164], [0.1, 0.1, 0.1]) { MomentumResetEpochs = [122] };

    public static ModelInfo ResNet20 { get; } = new("resnet20", "CIFAR ResNet-20 (widths 16/32/64)", ["cifar10", "cifar100"], ResNet) { SmallestBnDownsampling = 4 };

    public static ModelInfo ResNet44 { get; } = new("resnet44", "CIFAR ResNet-44 (widths 16/32/64)", ["cifar10", "cifar100"], ResNet) { SmallestBnDownsampling = 4 };

    public static ModelInfo Vgg { get; } = new(
        "vgg", "CIFAR VGG-16 with BN (convNet.pytorch)", ["cifar10", "cifar100"],
        new RegimeDefaults(200, 0.1, 0.9, 5e-4, [60, 120, 160], [0.2, 0.2, 0.2])) { SmallestBnDownsampling = 16 };

    public static ModelInfo Wrn16x4 { get; } = new(
        "wrn16-4", "Wide ResNet 16-4 (widths 64/128/256)", ["cifar10", "cifar100"],
        new RegimeDefaults(200, 0.1, 0.9, 1e-4, [60, 120, 140], [0.2, 0.2, 0.025])) { SmallestBnDownsampling = 4 };

    public static IReadOnlyList<ModelInfo> All { get; } = [F1, C1, C3, ResNet20, ResNet44, Vgg, Wrn16x4];

    public static ModelInfo? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}
