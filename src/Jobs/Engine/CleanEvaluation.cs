using Sweep.Jobs.Engine.Data;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sweep.Jobs.Engine;

/// <summary>
/// The clean passes a trial measures: loss and accuracy over a whole split in eval mode (running BN statistics, no
/// augmentation, no dropout). In eval mode a row's output does not depend on the rows beside it, so the batch size is
/// free to be chosen for speed (<see cref="BatchSizeFor"/>); the ghost BN's training-mode chunking, and with it every
/// running-statistics policy and the recompute pass (<see cref="TrialMeasurement.RecomputeRunningStats"/>), is not
/// involved. The passes run under inference mode (no autograd bookkeeping, less than no_grad keeps), and sum the loss
/// in float64 and the correct predictions on the tensor side: each metric is read back once per pass, not per batch.
/// </summary>
internal static class CleanEvaluation
{
    /// <summary>The rows per forward pass when the trainer's config does not set one.</summary>
    /// <remarks>
    /// F1 is five 512-wide matmuls, whose speed on a CPU grows with the rows per call, and whose per-call overheads (a
    /// dozen kernel launches, the dispose scope, and on a GPU the launch latency) are paid once per batch: 10,000 rows
    /// take Fashion-MNIST's validation split in one pass and its training split in six. Memory stays bounded: even if
    /// every intermediate of a batch lives until its scope ends, F1 holds 16 tensors of 512 floats per row (≈ 32 kB),
    /// ≈ 320 MB at 10,000 rows, next to the 188 MB of the training split itself. The convolutional nets keep 1,000
    /// rows: their activations are 100–1000× larger per row (ResNet-44 on CIFAR ≈ 5 MB), and a conv's speed per row
    /// hardly grows past a few hundred rows.
    /// </remarks>
    internal static int BatchSizeFor(string model) => model.ToLowerInvariant() switch
    {
        "f1" => 10_000,
        _ => 1_000,
    };

    /// <summary>Mean cross-entropy and accuracy of <paramref name="model"/> over <paramref name="data"/>; leaves the model in train mode.</summary>
    internal static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, InMemoryDataset data, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        model.eval();
        try
        {
            using var inference = inference_mode();
            using var lossSum = zeros(1, ScalarType.Float64, data.Labels.device);
            using var correct = zeros(1, ScalarType.Int64, data.Labels.device);
            for (long start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var length = Math.Min(batchSize, data.Count - start);
                var y = data.Labels.narrow(0, start, length);
                var logits = model.forward(data.Inputs.narrow(0, start, length));

                // Per-row losses summed in float64: a float32 sum over 10,000 rows would lose digits the old 1,000-row
                // batches kept.
                lossSum.add_(F.cross_entropy(logits, y, reduction: nn.Reduction.None).to_type(ScalarType.Float64).sum());
                correct.add_(logits.argmax(1).eq(y).sum());
            }

            return (lossSum.item<double>() / data.Count, (double)correct.item<long>() / data.Count);
        }
        finally
        {
            model.train();
        }
    }
}
