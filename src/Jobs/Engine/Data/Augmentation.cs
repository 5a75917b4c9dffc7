using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Jobs.Engine.Data;

/// <summary>
/// bigBatch's training-time augmentation (preprocess.py, pad_random_crop), applied to whole normalized batches at once.
/// Each sample gets its own crop offset (and flip) drawn from the caller's generator, on the CPU, in a fixed order, so
/// a generator state gives the same result on any device. The crop (and flip) is one gather over the padded batch.
/// </summary>
public static class Augmentation
{
    public const int CifarPadding = 4;
    public const int MnistPadding = 2;

    /// <summary>The raw pixel value bigBatch pads CIFAR images with before ToTensor/Normalize (Pad(4, fill=127)).</summary>
    public const byte CifarFillPixel = 127;

    /// <summary>The normalized value of a raw 0 pixel under MNIST's (x/255 − 0.5)/0.5: bigBatch pads MNIST with fill 0.</summary>
    public const float MnistFill = -1f;

    /// <summary>
    /// CIFAR training augmentation for a normalized [B, 3, 32, 32] batch: pad 4 on each side with the normalized value
    /// of a raw 127 pixel (per channel), crop a random 32×32 window per sample (offsets 0..8, as RandomCrop), and flip
    /// each sample horizontally with probability 1/2 (RandomHorizontalFlip).
    /// </summary>
    public static Tensor CifarTrain(Tensor batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(generator);
        if (batch.dim() != 4 || batch.shape[1] != CifarLoader.Channels)
        {
            throw new ArgumentException($"Expected a [B, 3, H, W] batch, got [{string.Join(", ", batch.shape)}].", nameof(batch));
        }

        var fill = Enumerable.Range(0, CifarLoader.Channels).Select(c => CifarLoader.Normalize(c, CifarFillPixel)).ToArray();
        return PadCropFlip(batch, fill, CifarPadding, flip: true, generator);
    }

    /// <summary>
    /// MNIST training augmentation for a normalized [B, 784] or [B, 1, 28, 28] batch: pad 2 with −1 (a raw 0 pixel),
    /// crop a random 28×28 window per sample (offsets 0..4), and return the input's shape. bigBatch's pad_random_crop
    /// also flips MNIST horizontally (reference §2.7); pass <paramref name="horizontalFlip"/> = true to do the same.
    /// </summary>
    public static Tensor MnistPadCrop(Tensor batch, Generator generator, bool horizontalFlip = false)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(generator);
        const int side = 28;
        var flat = batch.dim() == 2 && batch.shape[1] == side * side;
        if (!flat && !(batch.dim() == 4 && batch.shape[1] == 1 && batch.shape[2] == side && batch.shape[3] == side))
        {
            throw new ArgumentException($"Expected a [B, 784] or [B, 1, 28, 28] batch, got [{string.Join(", ", batch.shape)}].", nameof(batch));
        }

        using var images = batch.view(batch.shape[0], 1, side, side);
        using var result = PadCropFlip(images, [MnistFill], MnistPadding, horizontalFlip, generator);
        return result.reshape(batch.shape);
    }

    /// <summary>
    /// Pads [B, C, H, W] by <paramref name="padding"/> with a per-channel value and takes one H×W window per sample,
    /// mirrored left-right where its flip bit is set. Draws, in order: B row offsets, B column offsets, then (if
    /// <paramref name="flip"/>) B flip bits, all from <paramref name="generator"/>.
    /// </summary>
    private static Tensor PadCropFlip(Tensor batch, float[] fill, int padding, bool flip, Generator generator)
    {
        using var scope = NewDisposeScope();
        long b = batch.shape[0], c = batch.shape[1], h = batch.shape[2], w = batch.shape[3];
        long ph = h + 2 * padding, pw = w + 2 * padding;
        var device = batch.device;

        // Draw on the CPU, where the generator lives, then move the indices to the batch's device.
        var rowOffset = randint(0, 2 * padding + 1, [b], dtype: ScalarType.Int64, generator: generator);
        var colOffset = randint(0, 2 * padding + 1, [b], dtype: ScalarType.Int64, generator: generator);
        var flipped = flip
            ? randint(0, 2, [b], dtype: ScalarType.Int64, generator: generator).to_type(ScalarType.Bool)
            : zeros(b, dtype: ScalarType.Bool);

        var rows = rowOffset.unsqueeze(1) + arange(h, dtype: ScalarType.Int64);          // [B, H]
        var forward = arange(w, dtype: ScalarType.Int64);
        var columns = colOffset.unsqueeze(1) + where(flipped.unsqueeze(1), forward.flip(0), forward); // [B, W]
        var index = (rows.unsqueeze(2) * pw + columns.unsqueeze(1))                       // [B, H, W] into the padded plane
            .view(b, 1, h * w)
            .to(device)
            .expand(b, c, h * w);

        var padded = tensor(fill, new long[] { 1, c, 1, 1 }, device: device)
            .to_type(batch.dtype)
            .expand(b, c, ph, pw)
            .contiguous();
        padded.narrow(2, padding, h).narrow(3, padding, w).copy_(batch);

        var cropped = padded.view(b, c, ph * pw).gather(2, index).view(b, c, h, w);
        return cropped.MoveToOuterDisposeScope();
    }
}
