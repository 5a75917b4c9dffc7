using Sweep.Domain.Catalog;
using Sweep.Jobs.Engine.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweep.Jobs.Engine;

/// <summary>
/// What one <see cref="Trainer.Run"/> holds from its setup to its last epoch: the data on its device, the model, its
/// initial weights (for ‖w − w0‖), the optimizer, and where training stands. It owns every tensor and module it was
/// given, and disposing it frees them in the reverse order, on every exit: completion, divergence, cancellation, a
/// drain, or an exception half-way through the setup.
/// </summary>
internal sealed class TrainingRun : IDisposable
{
    private readonly Stack<IDisposable> _owned = new();

    public required DatasetInfo Dataset { get; init; }

    public required Device Device { get; init; }

    public string DatasetSha256 { get; set; } = "";

    public InMemoryDataset Train { get; set; } = null!;

    public InMemoryDataset Test { get; set; } = null!;

    public nn.Module<Tensor, Tensor> Model { get; set; } = null!;

    public List<(string name, Parameter parameter)> Parameters { get; set; } = [];

    public List<Tensor> Initial { get; set; } = [];

    /// <summary>Built once for the optimizer, the clipping and the gradient reset, instead of walking the module tree every step.</summary>
    public List<Parameter> Trainable { get; set; } = [];

    public OptimizerSlot Optimizer { get; set; } = null!;

    public int StepsPerEpoch { get; set; }

    public int FirstEpoch { get; set; }

    /// <summary>Optimizer updates made so far, counted across epochs (and restored from a checkpoint).</summary>
    public long Step { get; set; }

    /// <summary>Takes ownership of <paramref name="resource"/>: it is disposed with the run.</summary>
    public T Own<T>(T resource)
        where T : IDisposable
    {
        _owned.Push(resource);
        return resource;
    }

    public void Dispose()
    {
        while (_owned.TryPop(out var resource))
        {
            resource.Dispose();
        }
    }
}
