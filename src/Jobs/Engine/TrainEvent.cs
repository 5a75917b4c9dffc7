using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sweep.Jobs.Engine;

/// <summary>
/// What the trainer reports, one JSON object per line on stdout. The worker turns these into database rows;
/// the trainer itself knows nothing of the database.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(StartedEvent), "started")]
[JsonDerivedType(typeof(EpochEvent), "epoch")]
[JsonDerivedType(typeof(DistanceEvent), "distance")]
[JsonDerivedType(typeof(CheckpointEvent), "checkpoint")]
[JsonDerivedType(typeof(CompletedEvent), "completed")]
[JsonDerivedType(typeof(FailedEvent), "failed")]
public abstract record TrainEvent;

/// <summary>Training began, or resumed after <paramref name="ResumedFromEpoch"/> completed epochs.</summary>
public sealed record StartedEvent(IReadOnlyDictionary<string, string> Environment, int Epochs, int StepsPerEpoch, int ResumedFromEpoch = 0) : TrainEvent;

/// <summary>Metrics measured after <paramref name="Epoch"/> epochs (0 is the untrained network).</summary>
public sealed record EpochEvent(int Epoch, long Step, IReadOnlyDictionary<string, double> Metrics) : TrainEvent;

public sealed record DistanceEvent(int Epoch, long Step, double Value) : TrainEvent;

/// <summary>A checkpoint for the state after <paramref name="Epoch"/> epochs was written to <paramref name="Path"/>.</summary>
public sealed record CheckpointEvent(int Epoch, long Step, string Path) : TrainEvent;

public sealed record CompletedEvent(int Epoch, long Step, IReadOnlyDictionary<string, double> Metrics) : TrainEvent;

/// <summary>Kind is <c>diverged</c>, <c>out-of-memory</c>, <c>cancelled</c> or <c>error</c>.</summary>
public sealed record FailedEvent(string Kind, string Message, int Epoch, long Step) : TrainEvent;

public static class TrainEventJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(TrainEvent e) => JsonSerializer.Serialize(e, Options);

    public static TrainEvent? Deserialize(string line) => JsonSerializer.Deserialize<TrainEvent>(line, Options);
}

/// <summary>Where the trainer writes its events.</summary>
public interface ITrainEventSink
{
    void Write(TrainEvent e);
}

/// <summary>Writes each event as one flushed JSON line, so the parent sees progress as it happens.</summary>
public sealed class JsonLinesEventSink(TextWriter writer) : ITrainEventSink
{
    private readonly Lock _gate = new();

    public void Write(TrainEvent e)
    {
        var line = TrainEventJson.Serialize(e);
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
