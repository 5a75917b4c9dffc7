using Sweep.Jobs.Engine.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Jobs.Tests;

[Collection(GlobalRngCollection.Name)]
public sealed class AugmentationTests
{
    private static readonly float[] CifarFill =
        [(127f / 255f - 0.485f) / 0.229f, (127f / 255f - 0.456f) / 0.224f, (127f / 255f - 0.406f) / 0.225f];

    /// <summary>A batch of distinct values, far from any fill value, so every output value names its source.</summary>
    private static Tensor DistinctBatch(params long[] shape)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        return (arange(count, dtype: ScalarType.Float32) + 100f).view(shape);
    }

    [Fact]
    public void Cifar_shape_is_kept_and_a_generator_state_fixes_the_result()
    {
        using var x = DistinctBatch(16, 3, 32, 32);
        using var g1 = new Generator(42);
        using var g2 = new Generator(42);
        using var g3 = new Generator(43);

        using var a = Augmentation.CifarTrain(x, g1);
        manual_seed(999); // the global generator must play no part
        using var b = Augmentation.CifarTrain(x, g2);
        using var c = Augmentation.CifarTrain(x, g3);
        using var d = Augmentation.CifarTrain(x, g1); // the generator advanced: a new draw

        Assert.Equal(x.shape, a.shape);
        Assert.Equal(ScalarType.Float32, a.dtype);
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        Assert.False(a.allclose(c, rtol: 0, atol: 0));
        Assert.False(a.allclose(d, rtol: 0, atol: 0));
    }

    [Fact]
    public void Every_cifar_output_is_a_window_of_the_padded_input_some_flipped_some_not()
    {
        const int batch = 64, pad = 4, side = 32;
        using var x = DistinctBatch(batch, 3, side, side);
        using var g = new Generator(7);
        using var y = Augmentation.CifarTrain(x, g);

        var input = x.data<float>().ToArray();
        var output = y.data<float>().ToArray();
        var offsets = new HashSet<(int, int)>();
        int flips = 0, fillSeen = 0;
        for (var n = 0; n < batch; n++)
        {
            var match = FindWindow(input, output, n, 3, side, pad);
            Assert.True(match.HasValue, $"sample {n} is not a (flipped) window of its padded input");
            var (row, col, flip) = match.Value;
            offsets.Add((row, col));
            flips += flip ? 1 : 0;
            if (row != pad || col != pad)
            {
                fillSeen++;
            }
        }

        Assert.InRange(flips, 1, batch - 1);
        Assert.True(offsets.Count > 10, $"only {offsets.Count} distinct offsets in {batch} samples");
        Assert.True(fillSeen > 0);
    }

    [Fact]
    public void Cifar_padding_holds_the_normalized_value_of_pixel_127_per_channel()
    {
        using var x = full(new long[] { 64, 3, 32, 32 }, 100f);
        using var g = new Generator(11);
        using var y = Augmentation.CifarTrain(x, g);

        for (var c = 0; c < 3; c++)
        {
            using var channel = y.select(1, c);
            using var isInput = channel.eq(100f);
            using var isFill = (channel - CifarFill[c]).abs().lt(1e-6f);
            Assert.True(isInput.logical_or(isFill).all().item<bool>(), $"channel {c} holds a value that is neither input nor fill");
            Assert.True(isFill.any().item<bool>(), $"channel {c} shows no padding in 64 samples");
        }

        Assert.Equal(0.05694, CifarFill[0], 4); // (127/255 − 0.485)/0.229
    }

    [Fact]
    public void Mnist_pad_crop_keeps_flat_and_image_shapes_and_pads_with_minus_one()
    {
        using var flat = full(new long[] { 32, 784 }, 0.5f);
        using var image = full(new long[] { 32, 1, 28, 28 }, 0.5f);
        using var g1 = new Generator(3);
        using var g2 = new Generator(3);

        using var a = Augmentation.MnistPadCrop(flat, g1);
        using var b = Augmentation.MnistPadCrop(image, g2);

        Assert.Equal(flat.shape, a.shape);
        Assert.Equal(image.shape, b.shape);
        Assert.True(a.view(32, 1, 28, 28).allclose(b, rtol: 0, atol: 0)); // same draws, same windows
        using var isFill = a.eq(-1f);
        Assert.True(a.eq(0.5f).logical_or(isFill).all().item<bool>());
        Assert.True(isFill.any().item<bool>());
    }

    [Fact]
    public void Every_mnist_output_is_an_unflipped_window_unless_flips_are_asked_for()
    {
        const int batch = 64, pad = 2, side = 28;
        using var x = DistinctBatch(batch, 784);
        var input = x.data<float>().ToArray();

        using var g = new Generator(5);
        using var y = Augmentation.MnistPadCrop(x, g);
        var output = y.data<float>().ToArray();
        var offsets = new HashSet<(int, int)>();
        for (var n = 0; n < batch; n++)
        {
            var match = FindWindow(input, output, n, 1, side, pad, fill: [-1f]);
            Assert.True(match.HasValue);
            Assert.False(match.Value.Flip);
            offsets.Add((match.Value.Row, match.Value.Col));
        }

        Assert.True(offsets.Count > 5);

        using var gf = new Generator(5);
        using var yf = Augmentation.MnistPadCrop(x, gf, horizontalFlip: true);
        var flipped = yf.data<float>().ToArray();
        var flips = Enumerable.Range(0, batch).Count(n => FindWindow(input, flipped, n, 1, side, pad, fill: [-1f])!.Value.Flip);
        Assert.InRange(flips, 1, batch - 1);
    }

    /// <summary>
    /// Searches the (row, col, flip) for which sample n of the output equals that window of the input padded with the
    /// fill value; the first match in a fixed order. Distinct input values make the match unique.
    /// </summary>
    private static (int Row, int Col, bool Flip)? FindWindow(float[] input, float[] output, int n, int channels, int side, int pad, float[]? fill = null)
    {
        fill ??= CifarFill;
        var plane = side * side;
        var baseIndex = n * channels * plane;
        for (var row = 0; row <= 2 * pad; row++)
        {
            for (var col = 0; col <= 2 * pad; col++)
            {
                foreach (var flip in new[] { false, true })
                {
                    if (Matches(row, col, flip))
                    {
                        return (row, col, flip);
                    }
                }
            }
        }

        return null;

        bool Matches(int row, int col, bool flip)
        {
            for (var c = 0; c < channels; c++)
            {
                for (var i = 0; i < side; i++)
                {
                    for (var j = 0; j < side; j++)
                    {
                        var pi = row + i - pad;
                        var pj = col + (flip ? side - 1 - j : j) - pad;
                        var expected = pi < 0 || pi >= side || pj < 0 || pj >= side
                            ? fill[c]
                            : input[baseIndex + c * plane + pi * side + pj];
                        if (output[baseIndex + c * plane + i * side + j] != expected)
                        {
                            return false;
                        }
                    }
                }
            }

            return true;
        }
    }
}
