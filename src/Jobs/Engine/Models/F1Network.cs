using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweep.Jobs.Engine.Models;

/// <summary>
/// Keskar's F1 as bigBatch builds it (models/mnist_f1.py): 784 → 5 × [Linear 512, BN, ReLU] → Linear 10, with
/// PyTorch's default Linear initialization. Every BN is a ghost BN of the trial's ghost size.
/// </summary>
public sealed class F1Network : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    public F1Network(int inputFeatures, int classes, Func<long, GhostBatchNorm> norm, int hidden = 512, int depth = 5)
        : base(nameof(F1Network))
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var width = (long)inputFeatures;
        for (var i = 0; i < depth; i++)
        {
            modules.Add(($"fc{i}", nn.Linear(width, hidden)));
            modules.Add(($"bn{i}", norm(hidden)));
            modules.Add(($"relu{i}", nn.ReLU()));
            width = hidden;
        }

        modules.Add(("classifier", nn.Linear(width, classes)));
        layers = nn.Sequential(modules);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => layers.forward(input.flatten(1));
}
