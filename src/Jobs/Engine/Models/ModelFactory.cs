using Sweep.Domain.Catalog;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Jobs.Engine.Models;

public static class ModelFactory
{
    /// <summary>Builds the named network with every BN layer a ghost BN, seeded by the caller's manual_seed.</summary>
    public static nn.Module<Tensor, Tensor> Create(TrainerConfig config, DatasetInfo dataset)
    {
        // The accumulate implementation feeds one ghost batch at a time, so its BN layers see n == G and act as plain BN.
        GhostBatchNorm Norm(long features) =>
            new(features, config.GhostBatchSize, config.RunningStats, config.BnMomentum, config.BnEpsilon, config.BatchSize, config.RaggedChunks);

        return config.Model.ToLowerInvariant() switch
        {
            "f1" => new F1Network(dataset.Features, dataset.Classes, Norm),
            "c1" or "c3" => new ShallowConvNet(dataset.Classes, Norm),
            "resnet20" => new CifarResNet(20, dataset.Classes, Norm),
            "resnet44" => new CifarResNet(44, dataset.Classes, Norm),
            "vgg" => new CifarVgg(dataset.Classes, Norm),
            "wrn16-4" => new CifarResNet(16, dataset.Classes, Norm, widthMultiplier: 4),
            _ => throw new NotSupportedException($"Model '{config.Model}' is not built by this engine. Known: {string.Join(", ", Sweep.Domain.Catalog.Models.All.Select(m => m.Name))}."),
        };
    }
}
