using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sweep.Jobs.Engine;

/// <summary>
/// One optimizer update: the forward and backward passes (the whole batch, or bigBatch's per-ghost-batch loop), the
/// optional gradient clipping and the SGD step, with the loss and correct predictions added to the epoch's totals on
/// the tensor side (no host sync per step). The caller holds the dispose scope around it.
/// </summary>
internal sealed class TrainingStep(TrainerConfig config)
{
    public void Run(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, List<Parameter> trainable, Tensor x, Tensor y, EpochTotals totals)
    {
        ClearGradients(trainable);
        var n = x.shape[0];
        if (config.GbnImplementation == GbnImplementation.Accumulate && config.GhostBatchSize < n)
        {
            // bigBatch's loop: each ghost batch goes forward and backward through plain BN; the gradients add up to
            // the gradient of the mean loss over the whole batch (each chunk weighs its share of the samples).
            var sizes = GhostBatchNorm.ChunkSizes(n, config.GhostBatchSize, config.BatchSize, config.RaggedChunks).ToArray();
            var xs = x.split(sizes);
            var ys = y.split(sizes);
            for (var j = 0; j < xs.Length; j++)
            {
                var logits = model.forward(xs[j]);
                var loss = F.cross_entropy(logits, ys[j]);
                loss.mul(ys[j].shape[0] / (double)n).backward();
                Accumulate(logits, ys[j], loss, totals);
            }
        }
        else
        {
            var logits = model.forward(x);
            var loss = F.cross_entropy(logits, y);
            loss.backward();
            Accumulate(logits, y, loss, totals);
        }

        if (config.GradientClipNorm is { } clip)
        {
            GradientClipping.ClipNorm(trainable, clip);
        }

        optimizer.step();
    }

    /// <summary>
    /// Drops the gradients instead of zeroing them (PyTorch's set_to_none): the next backward stores its gradients
    /// instead of adding them to zeros, which saves the zeroing pass and the addition; 0 + g is g, so every update is
    /// bit for bit the same.
    /// </summary>
    private static void ClearGradients(List<Parameter> trainable)
    {
        foreach (var parameter in trainable)
        {
            parameter.grad = null;
        }
    }

    private static void Accumulate(Tensor logits, Tensor y, Tensor loss, EpochTotals totals)
    {
        using var noGrad = no_grad();
        totals.LossSum.add_(loss.detach().to_type(ScalarType.Float64) * y.shape[0]);
        totals.Correct.add_(logits.argmax(1).eq(y).sum());
    }
}
