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
            new(features, config.GhostBatchSize, config.RunningStats, config.BnMomentum, config.BnEpsilon);

        return config.Model.ToLowerInvariant() switch
        {
            "f1" => new F1Network(dataset.Features, dataset.Classes, Norm),
            _ => throw new NotSupportedException($"Model '{config.Model}' is not built by this engine. Known: {string.Join(", ", Sweep.Domain.Catalog.Models.All.Select(m => m.Name))}."),
        };
    }
}
