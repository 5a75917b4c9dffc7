namespace Sweep.Domain.Catalog;

/// <summary>A network the engine can build, and the datasets it is meant for.</summary>
public sealed record ModelInfo(string Name, string Description, IReadOnlyList<string> Datasets);

public static class Models
{
    public static ModelInfo F1 { get; } = new(
        "f1",
        "Keskar's F1 as in bigBatch: 784 → 5 × [Linear 512, BN, ReLU] → Linear 10",
        ["fashion-mnist", "mnist"]);

    public static IReadOnlyList<ModelInfo> All { get; } = [F1];

    public static ModelInfo? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}
