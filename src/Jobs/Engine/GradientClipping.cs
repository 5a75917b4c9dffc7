using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweep.Jobs.Engine;

/// <summary>
/// Gradient clipping by the global norm, with exactly libtorch's <c>clip_grad_norm_</c> result, but without its
/// multiplication when nothing is clipped. libtorch always scales every gradient by min(1, c / (‖g‖ + 1e-6)), a
/// full pass over the gradients; when that factor is 1 the pass changes no bit (x · 1 = x), and with c = 5 it is 1
/// on most steps. The norm below is computed with libtorch's own ops in its order (a 2-norm per gradient, then the
/// 2-norm of their stack), so the decision is made on the very value libtorch would compute.
/// </summary>
internal static class GradientClipping
{
    public static void ClipNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var norms = new List<Tensor>(parameters.Count);
        foreach (var parameter in parameters)
        {
            if (parameter.grad is { } grad)
            {
                // 2f is the order p: an int would select norm's dim overload.
                norms.Add(grad.norm(2f));
            }
        }

        if (norms.Count == 0)
        {
            return;
        }

        // libtorch's factor is fill(c).div_(‖g‖ + 1e-6) in float32, clamped at 1: it is exactly 1 whenever the
        // float32 denominator is at most float32(c). Only otherwise is libtorch called, to scale as it would.
        var total = norms.Count == 1 ? norms[0] : stack(norms).norm(2f);
        if (total.dtype == ScalarType.Float32 && total.add(1e-6).item<float>() <= (float)maxNorm)
        {
            return;
        }

        nn.utils.clip_grad_norm_(parameters, maxNorm);
    }
}
