using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweep.Jobs.Engine;

/// <summary>
/// The trial's SGD optimizer, re-created on a momentum reset: bigBatch's regime re-instantiates SGD at given epochs
/// (ResNet's 122), which starts every momentum buffer afresh. Disposes whichever optimizer it holds.
/// </summary>
internal sealed class OptimizerSlot(IReadOnlyList<Parameter> parameters, TrainerConfig config) : IDisposable
{
    // NaN until the trainer first sets a rate, so that the first step always writes it (a checkpoint may have loaded
    // another one into the options).
    private double _learningRate = double.NaN;

    public optim.Optimizer Current { get; private set; } = Create(parameters, config);

    /// <summary>
    /// Sets every group's LR, only when it differs from the last one set: the schedule is flat between drops, and
    /// the per-step assignment walked the groups for nothing.
    /// </summary>
    public void SetLearningRate(double lr)
    {
        if (lr == _learningRate)
        {
            return;
        }

        foreach (var group in Current.ParamGroups)
        {
            group.LearningRate = lr;
        }

        _learningRate = lr;
    }

    public void Reset()
    {
        var lr = Current.ParamGroups.First().LearningRate;
        Current.Dispose();
        Current = Create(parameters, config);
        foreach (var group in Current.ParamGroups)
        {
            group.LearningRate = lr;
        }
    }

    public void Dispose() => Current.Dispose();

    private static TorchSharp.Modules.SGD Create(IReadOnlyList<Parameter> parameters, TrainerConfig config) =>
        optim.SGD(parameters, config.LearningRate, momentum: config.Momentum, weight_decay: config.WeightDecay);
}
