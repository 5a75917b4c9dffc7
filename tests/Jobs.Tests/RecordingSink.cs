using Sweep.Jobs.Engine;

namespace Sweep.Jobs.Tests;

/// <summary>Keeps every event a trainer writes, in order; optionally acts on each (e.g. cancels mid-run).</summary>
internal sealed class RecordingSink(Action<TrainEvent>? onEvent = null) : ITrainEventSink
{
    public List<TrainEvent> Events { get; } = [];

    public void Write(TrainEvent e)
    {
        Events.Add(e);
        onEvent?.Invoke(e);
    }
}
