using Sweep.Jobs.Engine;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweep.Jobs.Tests;

/// <summary>The trainer's clipping leaves exactly the gradients that libtorch's clip_grad_norm_ leaves, bit for bit.</summary>
public sealed class GradientClippingTests
{
    [Theory]
    [InlineData(0.5f, 100.0)] // far below the limit: untouched
    [InlineData(0.5f, 0.3)] // above it: scaled
    [InlineData(3f, 5.0)]
    public void Clipping_gives_libtorchs_gradients_bit_for_bit(float gradientScale, double maxNorm)
    {
        manual_seed(13);
        var shapes = new long[][] { [512, 784], [512], [512, 512], [10, 512], [10] };
        var gradients = shapes.Select(s => randn(s) * gradientScale / Math.Sqrt(s.Aggregate(1L, (a, b) => a * b))).ToList();
        var ours = Parameters(gradients);
        var libtorch = Parameters(gradients);

        GradientClipping.ClipNorm(ours, maxNorm);
        nn.utils.clip_grad_norm_(libtorch, maxNorm);

        for (var i = 0; i < shapes.Length; i++)
        {
            Assert.True(ours[i].grad!.eq(libtorch[i].grad!).all().item<bool>(), $"gradient {i} differs");
        }
    }

    [Fact]
    public void Clipping_scales_large_gradients_to_the_limit_and_leaves_small_ones_alone()
    {
        manual_seed(17);
        var large = Parameters([randn(300) * 10]);
        var small = Parameters([randn(300) * 1e-3]);
        using var before = small[0].grad!.clone();

        GradientClipping.ClipNorm(large, 1.0);
        GradientClipping.ClipNorm(small, 1.0);

        Assert.Equal(1.0, large[0].grad!.norm(2f).item<float>(), 4);
        Assert.True(small[0].grad!.eq(before).all().item<bool>());
    }

    private static List<Parameter> Parameters(IEnumerable<Tensor> gradients) => gradients
        .Select(g =>
        {
            var p = new Parameter(zeros_like(g));
            p.grad = g.clone();
            return p;
        })
        .ToList();
}
