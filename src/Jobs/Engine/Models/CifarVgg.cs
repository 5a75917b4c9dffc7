using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweep.Jobs.Engine.Models;

/// <summary>
/// The CIFAR VGG-16 with BN of eladhoffer/convNet.pytorch (models/vgg.py, <c>VGG('VGG16', batch_norm=True)</c>):
/// cfg [64, 64, M, 128, 128, M, 256 ×3, M, 512 ×3, M, 512 ×3, M], each number a 3×3 pad-1 conv (with bias, as
/// nn.Conv2d's default) + BN + ReLU, each M a 2×2 max pool; 32×32 inputs leave 512·1·1 features. Classifier:
/// Linear 512→4096, ReLU, Dropout 0.5, Linear 4096→4096, ReLU, Dropout 0.5, Linear 4096→classes (no BN there).
/// The reference's trailing AvgPool2d(1, 1) is an identity and is left out. That file sets no initialization, so
/// this keeps PyTorch's defaults, which TorchSharp's match. Every BN is a ghost BN made by <c>norm</c>.
/// Not in bigBatch; that this is the paper's VGG is unconfirmed (reference §2.6).
/// </summary>
public sealed class CifarVgg : nn.Module<Tensor, Tensor>
{
    /// <summary>VGG-16's configuration: channel counts, with 0 for a max pool.</summary>
    public static readonly IReadOnlyList<int> Vgg16 = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0];

    private readonly Sequential features;
    private readonly Sequential classifier;

    public CifarVgg(int classes, Func<long, GhostBatchNorm> norm)
        : base(nameof(CifarVgg))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentNullException.ThrowIfNull(norm);

        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        long inChannels = 3;
        var index = 0;
        foreach (var width in Vgg16)
        {
            if (width == 0)
            {
                modules.Add(($"{index++}", nn.MaxPool2d(kernel_size: 2, stride: 2)));
                continue;
            }

            modules.Add(($"{index++}", nn.Conv2d(inChannels, width, kernel_size: 3, padding: 1)));
            modules.Add(($"{index++}", norm(width)));
            modules.Add(($"{index++}", nn.ReLU()));
            inChannels = width;
        }

        features = nn.Sequential(modules);
        classifier = nn.Sequential(
            ("0", nn.Linear(512, 4096)),
            ("1", nn.ReLU()),
            ("2", nn.Dropout(0.5)),
            ("3", nn.Linear(4096, 4096)),
            ("4", nn.ReLU()),
            ("5", nn.Dropout(0.5)),
            ("6", nn.Linear(4096, classes)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var x = features.call(input);
        using var flat = x.view(x.shape[0], -1);
        return classifier.call(flat);
    }
}
