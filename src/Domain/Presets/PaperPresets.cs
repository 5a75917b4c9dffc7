using Sweep.Domain.Catalog;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Presets;

/// <summary>The five columns of the paper's Table 1, each cumulative: +GBN keeps the LR fix, +RA keeps both.</summary>
public enum PaperColumn
{
    /// <summary>SB: B = B_ref, plain BN (G = B), the reference regime.</summary>
    SmallBatch,

    /// <summary>LB: the large batch, plain BN, the reference regime, no LR scaling.</summary>
    LargeBatch,

    /// <summary>+LR: LB with η = η_ref·sqrt(B / B_ref).</summary>
    LearningRate,

    /// <summary>+GBN: +LR with ghost batches of B_ref.</summary>
    GhostBatchNorm,

    /// <summary>+RA: +GBN trained ceil(B / B_ref) times longer.</summary>
    RegimeAdaptation,
}

/// <summary>One row of the paper's validation-accuracy table (NIPS 2017 poster, Figure 2), accuracies in percent.</summary>
/// <param name="Network">The network as the paper prints it (F1, C1, Resnet44, …).</param>
/// <param name="Reference">Whom the paper credits for the network.</param>
/// <param name="Model">Sweep's model name.</param>
/// <param name="Dataset">Sweep's name of the dataset the paper used.</param>
/// <param name="DatasetLabel">The dataset as the paper prints it.</param>
public sealed record PaperRow(
    string Network,
    string Reference,
    string Model,
    string Dataset,
    string DatasetLabel,
    double SmallBatch,
    double LargeBatch,
    double LearningRate,
    double GhostBatchNorm,
    double RegimeAdaptation)
{
    /// <summary>The published accuracy (percent) of a column.</summary>
    public double this[PaperColumn column] => column switch
    {
        PaperColumn.SmallBatch => SmallBatch,
        PaperColumn.LargeBatch => LargeBatch,
        PaperColumn.LearningRate => LearningRate,
        PaperColumn.GhostBatchNorm => GhostBatchNorm,
        PaperColumn.RegimeAdaptation => RegimeAdaptation,
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    /// <summary>"F1 on MNIST".</summary>
    public string Label => $"{Network} on {DatasetLabel}";
}

/// <summary>
/// A sweep that holds all five of the paper's configurations of one network as one request: SB, LB, +LR, +GBN
/// and +RA are cells of the grid batchSize [B_ref, LB] × ghostBatchSize [B_ref, LB] × regime [1, auto] × lrScaling
/// [none, sqrt], with skipInvalidCells dropping the (B_ref, LB) pair.
/// </summary>
/// <param name="Key">A stable identifier for pickers and links.</param>
/// <param name="DatasetNote">Set when the preset's dataset is not the one the paper used.</param>
public sealed record PaperPreset(
    string Key,
    string Name,
    string Description,
    SweepRequest Request,
    PaperRow Row,
    int LargeBatch,
    string? DatasetNote)
{
    public int ReferenceBatchSize => Request.Training?.ReferenceBatchSize ?? new TrainingSpec().ReferenceBatchSize;
}

/// <summary>Presets that reproduce Hoffer, Hubara &amp; Soudry 2017, "Train longer, generalize better", Table 1.</summary>
public static class PaperPresets
{
    /// <summary>B_ref: the paper's small batch, and main_gbn.py's mini-batch (ghost) size.</summary>
    public const int ReferenceBatch = 128;

    public static PaperRow F1 { get; } = new("F1", "Keskar et al., 2017", "f1", "mnist", "MNIST", 98.27, 97.05, 97.55, 97.60, 98.53);

    public static PaperRow C1 { get; } = new("C1", "Keskar et al., 2017", "c1", "cifar10", "Cifar10", 87.80, 83.95, 86.15, 86.4, 88.20);

    public static PaperRow ResNet44 { get; } = new("Resnet44", "He et al., 2016", "resnet44", "cifar10", "Cifar10", 92.83, 86.10, 89.30, 90.50, 93.07);

    public static PaperRow Vgg { get; } = new("VGG", "Simonyan, 2014", "vgg", "cifar10", "Cifar10", 92.30, 84.1, 88.6, 91.50, 93.03);

    public static PaperRow C3 { get; } = new("C3", "Keskar et al., 2017", "c3", "cifar100", "Cifar100", 61.25, 51.50, 57.38, 57.5, 63.20);

    public static PaperRow Wrn16x4 { get; } = new("WResnet16-4", "Zagoruyko, 2016", "wrn16-4", "cifar100", "Cifar100", 73.70, 68.15, 69.05, 71.20, 73.57);

    /// <summary>The table's rows, in the paper's order.</summary>
    public static IReadOnlyList<PaperRow> Rows { get; } = [F1, C1, ResNet44, Vgg, C3, Wrn16x4];

    public static IReadOnlyList<PaperPreset> All { get; } =
    [
        Create(
            "hoffer2017-f1-fashion-mnist", F1, "fashion-mnist", 4096,
            "F1 (5 × 512 fully connected, BN) with the bigBatch F1 regime (50 epochs, LR drops at 10/20/30), without "
            + "augmentation. LB = 4096 with ghost batches of 128, as in the authors' run_experiments.sh.",
            "The paper ran F1 on MNIST; Sweep's default dataset is Fashion-MNIST, which is harder, so expect lower accuracies throughout.",
            mnistPadCrop: false),
        Create(
            "hoffer2017-f1-mnist", F1, "mnist", 4096,
            "F1 on MNIST exactly as in the paper's table, with the bigBatch F1 regime and its MNIST augmentation (pad 2, "
            + "random crop 28, horizontal flip). LB = 4096, ghost batches of 128.",
            null,
            mnistPadCrop: true),
        Create(
            "hoffer2017-c1-cifar10", C1, "cifar10", 4096,
            "Keskar's shallow conv net C1 with bigBatch's cifar_shallow regime (200 epochs, LR 1e-3 raised to 1e-2 at 60). "
            + "LB = 4096 with ghost batches of 128. +RA trains 32 × longer (6,400 epochs).",
            null),
        Create(
            "hoffer2017-resnet44-cifar10", ResNet44, "cifar10", 2048,
            "CIFAR ResNet-44 with the ResNet regime (LR 0.1, drops at 81/122/164). LB = 2048 with ghost batches of 128, "
            + "as in the authors' run_experiments.sh (their README example uses 256). +RA trains 16 × longer.",
            null),
        Create(
            "hoffer2017-vgg-cifar10", Vgg, "cifar10", 4096,
            "CIFAR VGG-16 with BN and convNet.pytorch's regime (LR 0.1, ×0.2 at 60/120/160). The authors' code has no VGG run; "
            + "LB = 4096 with ghost batches of 128 follows their other 4096 runs. +RA trains 32 × longer.",
            null),
        Create(
            "hoffer2017-c3-cifar100", C3, "cifar100", 4096,
            "Keskar's shallow conv net C3 on CIFAR-100 with the cifar_shallow regime. LB = 4096 with ghost batches of 128. "
            + "+RA trains 32 × longer.",
            null),
        Create(
            "hoffer2017-wrn16-4-cifar100", Wrn16x4, "cifar100", 1024,
            "Wide ResNet 16-4 with bigBatch's regime (LR 0.1, drops to 0.02/0.004/1e-4 at 60/120/140). LB = 1024 with ghost "
            + "batches of 128, as in the authors' run_experiments.sh. +RA trains 8 × longer.",
            null),
    ];

    public static PaperPreset? Find(string key) =>
        All.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The paper's row for a sweep of <paramref name="model"/> on <paramref name="dataset"/>: the row with that network
    /// and dataset, or else the row a preset reproduces on another dataset (F1 on Fashion-MNIST gets F1 on MNIST, with
    /// <c>DatasetDiffers</c> set). Null when the paper has no such network.
    /// </summary>
    public static (PaperRow Row, bool DatasetDiffers)? FindRow(string model, string dataset)
    {
        var exact = Rows.FirstOrDefault(r => Same(r.Model, model) && Same(r.Dataset, dataset));
        if (exact is not null)
        {
            return (exact, false);
        }

        var preset = All.FirstOrDefault(p => Same(p.Request.Model, model) && Same(p.Request.Dataset, dataset));
        return preset is null ? null : (preset.Row, true);
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <param name="mnistPadCrop">bigBatch's MNIST augmentation (pad 2, random crop, flip); null for the CIFAR
    /// presets, whose pad-4-crop-flip is always on.</param>
    private static PaperPreset Create(string key, PaperRow row, string dataset, int largeBatch, string description, string? datasetNote, bool? mnistPadCrop = null)
    {
        var datasetName = Datasets.Find(dataset)?.Name ?? dataset;
        var request = new SweepRequest
        {
            Name = $"Hoffer et al. 2017, {row.Network} on {DisplayName(datasetName)}",
            Dataset = datasetName,
            Model = row.Model,
            Grid = new GridSpec
            {
                BatchSize = [ReferenceBatch, largeBatch],
                GhostBatchSize = [ReferenceBatch, largeBatch],
                RegimeMultiplier = [RegimeMultiplier.Fixed(1), RegimeMultiplier.Auto],
                LrScaling = [LrScaling.None, LrScaling.Sqrt],
            },

            // Regime settings come from the model's reference regime; B_ref is the paper's small batch.
            Training = new TrainingRequest { ReferenceBatchSize = ReferenceBatch, MnistPadCrop = mnistPadCrop },
            SkipInvalidCells = true,
        };
        return new PaperPreset(key, request.Name, description, request, row, largeBatch, datasetNote);
    }

    private static string DisplayName(string dataset) => dataset switch
    {
        "fashion-mnist" => "Fashion-MNIST",
        "mnist" => "MNIST",
        "cifar10" => "CIFAR-10",
        "cifar100" => "CIFAR-100",
        _ => dataset,
    };
}

/// <summary>Which of the paper's configurations a grid cell is, if any.</summary>
public static class PaperConfiguration
{
    public static IReadOnlyList<PaperColumn> Columns { get; } = Enum.GetValues<PaperColumn>();

    /// <summary>The column header as the paper prints it: SB, LB, +LR, +GBN, +RA.</summary>
    public static string Label(this PaperColumn column) => column switch
    {
        PaperColumn.SmallBatch => "SB",
        PaperColumn.LargeBatch => "LB",
        PaperColumn.LearningRate => "+LR",
        PaperColumn.GhostBatchNorm => "+GBN",
        PaperColumn.RegimeAdaptation => "+RA",
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    /// <summary>What the column means, in words.</summary>
    public static string Describe(this PaperColumn column) => column switch
    {
        PaperColumn.SmallBatch => "small batch B_ref, plain BN, reference regime",
        PaperColumn.LargeBatch => "large batch, plain BN, reference regime, no LR scaling",
        PaperColumn.LearningRate => "large batch with η·sqrt(B/B_ref)",
        PaperColumn.GhostBatchNorm => "+LR with ghost batches of B_ref",
        PaperColumn.RegimeAdaptation => "+GBN trained ceil(B/B_ref) times longer",
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    /// <summary>
    /// SB (B = B_ref, G = B, r = 1, any LR rule, since every rule leaves η alone at B_ref); LB (B = large, G = B, r = 1,
    /// no scaling); +LR (as LB with sqrt scaling); +GBN (B = large, G = B_ref, r = 1, sqrt); +RA (B = large, G = B_ref,
    /// r = ceil(B / B_ref), sqrt); null for every other cell. The seed and the BN variants do not matter.
    /// </summary>
    public static PaperColumn? Classify(TrialCell cell, int referenceBatchSize, int largeBatch)
    {
        if (referenceBatchSize < 1 || largeBatch < 1)
        {
            return null;
        }

        var plainRegime = Near(cell.RegimeMultiplier, 1);
        if (cell.BatchSize == referenceBatchSize)
        {
            return cell.GhostBatchSize == cell.BatchSize && plainRegime ? PaperColumn.SmallBatch : null;
        }

        if (cell.BatchSize != largeBatch)
        {
            return null;
        }

        if (cell.GhostBatchSize == cell.BatchSize)
        {
            return !plainRegime ? null : cell.LrScaling switch
            {
                LrScaling.None => PaperColumn.LargeBatch,
                LrScaling.Sqrt => PaperColumn.LearningRate,
                _ => null,
            };
        }

        if (cell.GhostBatchSize != referenceBatchSize || cell.LrScaling != LrScaling.Sqrt)
        {
            return null;
        }

        if (plainRegime)
        {
            return PaperColumn.GhostBatchNorm;
        }

        var adapted = Math.Ceiling((double)cell.BatchSize / referenceBatchSize);
        return Near(cell.RegimeMultiplier, adapted) ? PaperColumn.RegimeAdaptation : null;
    }

    private static bool Near(double a, double b) => Math.Abs(a - b) < 1e-9;
}
