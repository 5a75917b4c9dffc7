using Sweep.Jobs.Engine.Data;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sweep.Jobs.Engine;

/// <summary>
/// The clean passes a trial measures: loss and accuracy over a whole split in eval mode (running BN statistics, no
/// augmentation, no dropout). In eval mode a row's output does not depend on the rows beside it, so the batch size is
/// free to be chosen for speed (<see cref="BatchSize"/>); the ghost BN's training-mode chunking, and with it every
/// running-statistics policy and the recompute pass (<see cref="TrialMeasurement.RecomputeRunningStats"/>), is not
/// involved. The passes run under inference mode (no autograd bookkeeping, less than no_grad keeps), and sum the loss
/// in float64 and the correct predictions on the tensor side: each metric is read back once per pass, not per batch.
/// </summary>
internal static class CleanEvaluation
{
    /// <summary>The rows per forward pass (<see cref="TrainerConfig.EvalBatchSize"/>'s default).</summary>
    /// <remarks>
    /// Measured, not guessed (<c>bench evaluation</c>, docs/benchmarks.md): for F1 on 2 CPU cores the passes already run
    /// at the matmul roofline with 1,000 rows (70,000 rows × 1.455 M multiply-adds in ≈ 1.0 s ≈ 200 GFLOP/s). 4,000 rows
    /// took the same time, 250 rows +6 %, 10,000 rows +17 %: each 512-wide activation then takes 20 MB, out of cache
    /// for the BN and ReLU passes between the matmuls. 1,000 rows also bound memory for the conv nets, whose activations are far
    /// larger per row. Inference mode and the single read-back per metric matter where launches and syncs cost (a GPU).
    /// </remarks>
    internal const int BatchSize = 1_000;

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

                // Per-row losses summed in float64 (the old code summed each batch in float32), so that the batch size
                // moves the loss by float64 rounding only.
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
