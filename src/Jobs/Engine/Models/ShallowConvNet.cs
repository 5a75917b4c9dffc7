using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweep.Jobs.Engine.Models;

/// <summary>
/// Keskar's C1 (CIFAR-10) and C3 (CIFAR-100) as bigBatch builds them (models/cifar_shallow.py, class "AlexNet"):
/// conv 5×5 64 (no bias) → MaxPool 3/2 → BN → ReLU → conv 5×5 64 (no bias) → MaxPool 3/2 → BN → ReLU → flatten 64·7·7
/// → FC 384 (no bias) + BN + ReLU + Dropout 0.5 → FC 192 (no bias) + BN + ReLU + Dropout 0.5 → FC classes.
/// On 32×32 inputs the unpadded pools give 32 → 15 → 7. Note bigBatch pools before BN, unlike Keskar's original
/// (conv → BN → ReLU → pool). PyTorch's default initialization, which TorchSharp's defaults match.
/// Every BN, 2-D and 1-D alike, is a ghost BN made by <c>norm</c>.
/// </summary>
public sealed class ShallowConvNet : nn.Module<Tensor, Tensor>
{
    public const int FeatureChannels = 64;
    public const int FeatureSide = 7;

    private readonly Sequential features;
    private readonly Sequential classifier;

    public ShallowConvNet(int classes, Func<long, GhostBatchNorm> norm)
        : base(nameof(ShallowConvNet))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentNullException.ThrowIfNull(norm);

        features = nn.Sequential(
            ("conv1", nn.Conv2d(3, FeatureChannels, kernel_size: 5, padding: 2, bias: false)),
            ("pool1", nn.MaxPool2d(kernel_size: 3, stride: 2)),
            ("bn1", norm(FeatureChannels)),
            ("relu1", nn.ReLU()),
            ("conv2", nn.Conv2d(FeatureChannels, FeatureChannels, kernel_size: 5, padding: 2, bias: false)),
            ("pool2", nn.MaxPool2d(kernel_size: 3, stride: 2)),
            ("bn2", norm(FeatureChannels)),
            ("relu2", nn.ReLU()));

        classifier = nn.Sequential(
            ("fc1", nn.Linear(FeatureChannels * FeatureSide * FeatureSide, 384, hasBias: false)),
            ("bn3", norm(384)),
            ("relu3", nn.ReLU()),
            ("drop1", nn.Dropout(0.5)),
            ("fc2", nn.Linear(384, 192, hasBias: false)),
            ("bn4", norm(192)),
            ("relu4", nn.ReLU()),
            ("drop2", nn.Dropout(0.5)),
            ("fc3", nn.Linear(192, classes)));

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var x = features.call(input);
        using var flat = x.view(-1, FeatureChannels * FeatureSide * FeatureSide);
        return classifier.call(flat);
    }
}
