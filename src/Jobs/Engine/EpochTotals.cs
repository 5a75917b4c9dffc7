using static TorchSharp.torch;

namespace Sweep.Jobs.Engine;

/// <summary>
/// What an epoch's steps add up on the tensor side (loss × samples in float64, correct predictions; read once, when
/// the epoch is measured), with the samples and the time the steps took. It owns the two tensors.
/// </summary>
internal sealed class EpochTotals(Device device) : IDisposable
{
    public Tensor LossSum { get; } = zeros(1, ScalarType.Float64, device);

    public Tensor Correct { get; } = zeros(1, ScalarType.Int64, device);

    public long Samples { get; set; }

    /// <summary>The summed loss as last read back (Trainer's divergence check reads it at the epoch's end for the report).</summary>
    public double Loss { get; set; }

    public TimeSpan Time { get; set; }

    public void Dispose()
    {
        LossSum.Dispose();
        Correct.Dispose();
    }
}
