using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sweep.Jobs.Engine.Models;

/// <summary>
/// The CIFAR ResNet of He et al. 2016 as bigBatch builds it (models/resnet.py, <c>ResNet_cifar10</c>): a 3×3 stem
/// conv 3→16·m + BN + ReLU, three stages of n = ⌊(depth − 2)/6⌋ post-activation BasicBlocks with widths 16·m, 32·m, 64·m
/// (the first block of stages 2 and 3 has stride 2), a 1×1 conv (no bias) + BN shortcut wherever the stride or the
/// width changes (option B), global AvgPool 8 and a Linear 64·m → classes.
/// With m = 1: resnet20 (depth 20), resnet44 (depth 44). With m = 4 and depth 16 it is bigBatch's wide_WResNet
/// (models/wide_resnet.py, <c>WResNet_cifar10</c>), the same post-activation skeleton with a 64-wide stem and no
/// dropout; it is not Zagoruyko's pre-activation WRN-16-4, though it has about as many parameters.
/// Initialization as the reference's init_model: every conv weight ~ N(0, sqrt(2 / (k·k·out_channels))), BN γ = 1,
/// β = 0; the Linear keeps PyTorch's default. Every BN is a ghost BN made by <c>norm</c>.
/// </summary>
public sealed class CifarResNet : nn.Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Linear fc;

    public CifarResNet(int depth, int classes, Func<long, GhostBatchNorm> norm, int widthMultiplier = 1)
        : base(nameof(CifarResNet))
    {
        // bigBatch takes n = int((depth − 2) / 6): 6n + 2 for ResNets (20, 44, 110), 6n + 4 for WRNs (16 → n = 2).
        if (depth < 8 || (depth - 2) % 6 is not (0 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "A CIFAR ResNet has depth 6n + 2 (20, 32, 44, 56, 110) or, as a WRN, 6n + 4 (16, 22, 28, 40), with n ≥ 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(widthMultiplier, 1);
        ArgumentNullException.ThrowIfNull(norm);

        Depth = depth;
        WidthMultiplier = widthMultiplier;
        BlocksPerStage = (depth - 2) / 6;

        long inplanes = 16L * widthMultiplier;
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("conv1", Conv(3, inplanes, 3, stride: 1, padding: 1)),
            ("bn1", norm(inplanes)),
            ("relu", nn.ReLU()),
        };

        var stage = 1;
        foreach (var (width, stride) in new[] { (16L, 1L), (32L, 2L), (64L, 2L) })
        {
            var planes = width * widthMultiplier;
            var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
            for (var b = 0; b < BlocksPerStage; b++)
            {
                var blockStride = b == 0 ? stride : 1;
                blocks.Add(($"{b}", new BasicBlock(inplanes, planes, blockStride, norm)));
                inplanes = planes;
            }

            modules.Add(($"layer{stage}", nn.Sequential(blocks)));
            stage++;
        }

        modules.Add(("avgpool", nn.AvgPool2d(kernel_size: 8)));
        features = nn.Sequential(modules);
        fc = nn.Linear(inplanes, classes);
        RegisterComponents();
    }

    public int Depth { get; }

    public int WidthMultiplier { get; }

    public int BlocksPerStage { get; }

    public override Tensor forward(Tensor input)
    {
        using var x = features.call(input);
        using var flat = x.view(x.shape[0], -1);
        return fc.call(flat);
    }

    /// <summary>A bias-free conv with the reference's He initialization, N(0, sqrt(2 / (k·k·out))).</summary>
    internal static Conv2d Conv(long inChannels, long outChannels, long kernel, long stride, long padding)
    {
        var conv = nn.Conv2d(inChannels, outChannels, kernel_size: kernel, stride: stride, padding: padding, bias: false);
        using (no_grad())
        {
            nn.init.normal_(conv.weight, 0, Math.Sqrt(2.0 / (kernel * kernel * outChannels)));
        }

        return conv;
    }

    /// <summary>conv3×3 → BN → ReLU → conv3×3 → BN, plus the (projected) input, → ReLU.</summary>
    private sealed class BasicBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1;
        private readonly GhostBatchNorm bn1;
        private readonly Conv2d conv2;
        private readonly GhostBatchNorm bn2;
        private readonly Sequential? downsample;

        public BasicBlock(long inplanes, long planes, long stride, Func<long, GhostBatchNorm> norm)
            : base(nameof(BasicBlock))
        {
            conv1 = Conv(inplanes, planes, 3, stride, padding: 1);
            bn1 = norm(planes);
            conv2 = Conv(planes, planes, 3, stride: 1, padding: 1);
            bn2 = norm(planes);
            if (stride != 1 || inplanes != planes)
            {
                downsample = nn.Sequential(
                    ("0", Conv(inplanes, planes, 1, stride, padding: 0)),
                    ("1", norm(planes)));
            }

            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var c1 = conv1.call(input);
            using var b1 = bn1.call(c1);
            using var r1 = F.relu(b1);
            using var c2 = conv2.call(r1);
            using var b2 = bn2.call(c2);
            using var sum = Shortcut(b2, input);
            return F.relu(sum);
        }

        private Tensor Shortcut(Tensor output, Tensor input)
        {
            if (downsample is null)
            {
                return output.add(input);
            }

            using var projected = downsample.call(input);
            return output.add(projected);
        }
    }
}
