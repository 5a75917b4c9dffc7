using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

public sealed class SweepRequestTests
{
    private static readonly GridSpec Grid = new() { BatchSize = [128], GhostBatchSize = [128] };

    [Fact]
    public void Left_out_regime_settings_come_from_the_model()
    {
        var resnet = new SweepRequest { Name = "r", Dataset = "cifar10", Model = "resnet44", Grid = Grid }.ToSpec().Training;
        var shallow = new SweepRequest { Name = "c", Dataset = "cifar10", Model = "c1", Grid = Grid }.ToSpec().Training;

        Assert.Equal([81, 122, 164], resnet.LrDropEpochs);
        Assert.Equal(0.1, resnet.LrDropFactor);
        Assert.Null(resnet.LrDropFactors);
        Assert.Equal(1e-3, shallow.LearningRate);
        Assert.Equal(0, shallow.Momentum);
        Assert.Equal([10.0, 0.1, 0.1], shallow.LrDropFactors);
        Assert.Equal(5.0, shallow.GradientClipNorm);
    }

    [Fact]
    public void Given_settings_win_and_own_drop_epochs_take_one_factor()
    {
        var spec = new SweepRequest
        {
            Name = "c",
            Dataset = "cifar10",
            Model = "c1",
            Grid = Grid,
            Training = new TrainingRequest { Epochs = 3, LrDropEpochs = [1], LearningRate = 0.05, GradientClipNorm = null },
        }.ToSpec().Training;

        Assert.Equal(3, spec.Epochs);
        Assert.Equal(0.05, spec.LearningRate);
        Assert.Null(spec.LrDropFactors);
        Assert.Equal(10, spec.DropFactorAt(0));
        Assert.Null(spec.GradientClipNorm);
    }

    [Fact]
    public void The_contract_body_parses_as_a_request_and_keeps_its_explicit_values()
    {
        var request = System.Text.Json.JsonSerializer.Deserialize<SweepRequest>(
            """{"name":"x","grid":{"batchSize":[128],"ghostBatchSize":[128]},"training":{"epochs":3,"lrDropEpochs":[],"gradientClipNorm":5.0,"runningStats":"recompute","gbnImplementation":"accumulate","lastBatch":"keep"}}""",
            SweepJson.Options)!;
        var t = request.ToSpec().Training;

        Assert.Equal(3, t.Epochs);
        Assert.Empty(t.LrDropEpochs);
        Assert.Equal(RunningStatsPolicy.Recompute, t.RunningStats);
        Assert.Equal(GbnImplementation.Accumulate, t.GbnImplementation);
        Assert.Equal(LastBatchPolicy.Keep, t.LastBatch);
        Assert.Equal(0.9, t.Momentum);
    }
}
