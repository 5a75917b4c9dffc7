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

    [Theory]
    [InlineData("\"lrScaling\":7", "$.training.lrScaling")]
    [InlineData("\"lrScaling\":1", "$.training.lrScaling")]
    [InlineData("\"runningStats\":1", "$.training.runningStats")]
    public void Enums_given_as_numbers_are_rejected_naming_the_path(string setting, string path)
    {
        var json = """{"name":"x","grid":{"batchSize":[128],"ghostBatchSize":[128]},"training":{""" + setting + "}}";

        var ex = Assert.Throws<JsonException>(() => SweepJson.Deserialize(json));

        Assert.Equal(path, ex.Path);
    }

    [Fact]
    public void The_new_enum_settings_read_as_kebab_case_names()
    {
        var spec = SweepJson.Deserialize("""{"name":"x","grid":{"batchSize":[128],"ghostBatchSize":[128]},"training":{"runningStats":"algorithm1","evalStatistics":"recompute","lrReference":"ghost","warmupUnderRegime":"fixed","raggedChunks":"equal"}}""");

        Assert.Equal(RunningStatsPolicy.Algorithm1, spec.Training.RunningStats);
        Assert.Equal(EvalStatistics.Recompute, spec.Training.EvalStatistics);
        Assert.Equal(LrReference.Ghost, spec.Training.LrReference);
        Assert.Equal(WarmupUnderRegime.Fixed, spec.Training.WarmupUnderRegime);
        Assert.Equal(RaggedChunks.Equal, spec.Training.RaggedChunks);
    }
}
