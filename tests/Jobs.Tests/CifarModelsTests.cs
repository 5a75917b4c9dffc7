using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Jobs.Tests;

/// <summary>
/// Tests that seed or draw from libtorch's global generator (model initialization, dropout, manual_seed). They run
/// alone, after the parallel tests, so they cannot interleave with a trainer test's seeded run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRngCollection
{
    public const string Name = "Global torch RNG";
}

[Collection(GlobalRngCollection.Name)]
public sealed class CifarModelsTests
{
    private const double Eps = 1e-5;

    /// <summary>Builds a model whose ghost BNs (ghost size <paramref name="ghost"/>) are recorded in creation order.</summary>
    private static nn.Module<Tensor, Tensor> Build(string name, int classes, int ghost, List<GhostBatchNorm> norms)
    {
        GhostBatchNorm Norm(long features)
        {
            var bn = new GhostBatchNorm(features, ghost, RunningStatsPolicy.Sequential, 0.1, Eps);
            norms.Add(bn);
            return bn;
        }

        return name switch
        {
            "shallow" => new ShallowConvNet(classes, Norm),
            "resnet20" => new CifarResNet(20, classes, Norm),
            "resnet44" => new CifarResNet(44, classes, Norm),
            "wrn16-4" => new CifarResNet(16, classes, Norm, widthMultiplier: 4),
            "vgg16" => new CifarVgg(classes, Norm),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private static long ParameterCount(nn.Module<Tensor, Tensor> model) => model.parameters().Sum(p => p.numel());

    // Counts by hand from the reference definitions (weights + biases + BN γ, β; 10 classes):
    // resnet20 272,474 and resnet44 661,338 (bigBatch's 1×1-conv shortcuts; He et al.'s option A: 269,722 / 658,586,
    // quoted as 0.27M / 0.66M); bigBatch's WRN-16-4 2,777,674 (Zagoruyko's pre-activation WRN-16-4: 2.75M);
    // C1 1,388,490; convNet.pytorch's VGG-16-BN 33,646,666.
    [Theory]
    [InlineData("resnet20", 10, 272_474, 270_000)]
    [InlineData("resnet44", 10, 661_338, 660_000)]
    [InlineData("wrn16-4", 10, 2_777_674, 2_750_000)]
    [InlineData("shallow", 10, 1_388_490, 1_388_490)]
    [InlineData("vgg16", 10, 33_646_666, 33_646_666)]
    public void Parameter_counts_match_the_reference(string name, int classes, long exact, long published)
    {
        using var model = Build(name, classes, 128, []);

        var count = ParameterCount(model);

        // Parameter 0 is the first conv's weight, as in PyTorch (bigBatch logs ‖w_t − w_0‖ of parameter 0).
        var first = model.parameters().First();
        Assert.Equal(4, first.dim());
        Assert.Equal(3, first.shape[1]);

        Assert.Equal(exact, count);
        Assert.InRange(count, published * 0.98, published * 1.02);
    }

    [Theory]
    [InlineData("shallow", 10)]
    [InlineData("shallow", 100)]
    [InlineData("resnet20", 10)]
    [InlineData("resnet44", 100)]
    [InlineData("wrn16-4", 10)]
    [InlineData("vgg16", 100)]
    public void Forward_gives_logits_per_class_and_backward_reaches_every_parameter(string name, int classes)
    {
        manual_seed(1);
        using var model = Build(name, classes, 4, []);
        using var x = randn(8, 3, 32, 32);
        using var y = randint(0, classes, [8], dtype: ScalarType.Int64);

        model.train();
        using var logits = model.call(x);
        Assert.Equal([8L, classes], logits.shape);
        using var loss = nn.functional.cross_entropy(logits, y);
        loss.backward();
        foreach (var (parameterName, p) in model.named_parameters())
        {
            Assert.True(p.grad is not null, $"{parameterName} has no gradient");
            Assert.True(p.grad.isfinite().all().item<bool>(), $"{parameterName} has a non-finite gradient");
        }

        model.eval();
        using var noGrad = no_grad();
        using var eval = model.call(x.narrow(0, 0, 3));
        Assert.Equal([3L, classes], eval.shape);
    }

    [Theory]
    [InlineData("shallow")]
    [InlineData("resnet20")]
    [InlineData("wrn16-4")]
    [InlineData("vgg16")]
    public void The_first_BN_normalizes_each_ghost_batch_of_a_4D_input_on_its_own(string name)
    {
        const int ghost = 4;
        manual_seed(2);
        var norms = new List<GhostBatchNorm>();
        using var model = Build(name, 10, ghost, norms);
        Assert.All(norms, bn => Assert.Equal(ghost, bn.GhostBatchSize));
        var first = norms[0];
        Tensor? seenInput = null, seenOutput = null;
        var hook = first.register_forward_hook((_, input, output) =>
        {
            seenInput = input.detach().clone();
            seenOutput = output.detach().clone();
            return null!;
        });

        model.train();
        using var x = randn(8, 3, 32, 32) * 2 + 0.5;
        using (no_grad())
        {
            model.call(x).Dispose();
        }

        hook.remove();

        Assert.NotNull(seenInput);
        Assert.NotNull(seenOutput);
        using var input = seenInput;
        using var output = seenOutput;
        Assert.Equal(4, input.dim());
        Assert.Equal(first.Features, input.shape[1]);
        for (var j = 0; j < 2; j++)
        {
            using var chunk = input.narrow(0, j * ghost, ghost);
            using var mean = chunk.mean([0, 2, 3], keepdim: true);
            using var variance = chunk.var([0, 2, 3], unbiased: false, keepdim: true);
            using var expected = (chunk - mean) / (variance + Eps).sqrt();
            using var actual = output.narrow(0, j * ghost, ghost);
            Assert.True(expected.allclose(actual, rtol: 1e-4, atol: 1e-4), $"ghost batch {j} of {name}'s first BN");
        }

        // Not plain BN over all 8: the two ghost batches have different statistics.
        using var whole = (input - input.mean([0, 2, 3], keepdim: true)) / (input.var([0, 2, 3], unbiased: false, keepdim: true) + Eps).sqrt();
        Assert.False(whole.allclose(output, rtol: 1e-4, atol: 1e-4));
    }

    [Fact]
    public void ResNet_convolutions_get_He_initialization_and_BN_starts_at_identity()
    {
        manual_seed(3);
        var norms = new List<GhostBatchNorm>();
        using var model = new CifarResNet(20, 10, f => { var bn = new GhostBatchNorm(f, 128, RunningStatsPolicy.Sequential); norms.Add(bn); return bn; });

        var convs = model.named_modules().Select(m => m.module).OfType<TorchSharp.Modules.Conv2d>().ToList();
        Assert.Equal(19 + 2, convs.Count); // 19 3×3 convs + two 1×1 shortcut convs
        foreach (var conv in convs.Where(c => c.weight!.numel() >= 4096))
        {
            var k = conv.weight!.shape[2];
            var outChannels = conv.weight.shape[0];
            var expected = Math.Sqrt(2.0 / (k * k * outChannels));
            var std = conv.weight.std().item<float>();
            Assert.InRange(std, expected * 0.9, expected * 1.1);
            Assert.Null(conv.bias);
        }

        Assert.Equal(19 + 2, norms.Count);
        Assert.All(norms, bn => Assert.True(bn.Weight.eq(1).all().item<bool>() && bn.Bias.eq(0).all().item<bool>()));
    }

    [Fact]
    public void Bad_depths_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CifarResNet(21, 10, f => new GhostBatchNorm(f, 4, RunningStatsPolicy.Sequential)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CifarResNet(2, 10, f => new GhostBatchNorm(f, 4, RunningStatsPolicy.Sequential)));
    }
}
