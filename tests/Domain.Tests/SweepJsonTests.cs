using System.Text.Json;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

public sealed class SweepJsonTests
{
    private const string ContractExample = """
        {
          "name": "f1-gbn-demo",
          "dataset": "fashion-mnist",
          "model": "f1",
          "grid": { "batchSize": [128, 1024], "ghostBatchSize": [128], "regimeMultiplier": [1, "auto"] },
          "training": {
            "epochs": 3, "learningRate": 0.1, "referenceBatchSize": 128, "lrScaling": "sqrt",
            "momentum": 0.9, "weightDecay": 0.0001, "lrDropEpochs": [], "lrDropFactor": 0.1,
            "gradientClipNorm": 5.0, "seeds": [1], "trainSubset": null
          }
        }
        """;

    [Fact]
    public void The_contract_example_round_trips()
    {
        var spec = SweepJson.Deserialize(ContractExample);

        Assert.Equal([RegimeMultiplier.Fixed(1), RegimeMultiplier.Auto], spec.Grid.RegimeMultiplier);
        Assert.Equal(LrScaling.Sqrt, spec.Training.LrScaling);
        Assert.Null(spec.Training.TrainSubset);
        Assert.Equal(spec.Grid.BatchSize, SweepJson.Deserialize(SweepJson.Serialize(spec)).Grid.BatchSize);
        Assert.Contains("\"auto\"", SweepJson.Serialize(spec));
    }

    [Fact]
    public void Unknown_fields_are_rejected()
    {
        var ex = Assert.Throws<JsonException>(() => SweepJson.Deserialize("""{"name":"x","grid":{"batchSize":[1],"ghostBatchSize":[1]},"batchSzie":[2]}"""));

        Assert.Contains("batchSzie", ex.Message);
    }

    [Fact]
    public void A_regime_that_is_neither_a_number_nor_auto_is_rejected() =>
        Assert.Throws<JsonException>(() => SweepJson.Deserialize("""{"name":"x","grid":{"batchSize":[1],"ghostBatchSize":[1],"regimeMultiplier":["twice"]}}"""));
}
