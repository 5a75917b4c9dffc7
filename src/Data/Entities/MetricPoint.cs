namespace Sweep.Data.Entities;

/// <summary>
/// One measured value, in MLflow's shape (key, value, step, timestamp). The key (trial, metric, step) makes a
/// replayed epoch overwrite rather than duplicate. NaN and ±infinity are stored as such.
/// </summary>
public sealed class MetricPoint
{
    public Guid TrialId { get; set; }

    public required string Key { get; set; }

    public long Step { get; set; }

    public int Epoch { get; set; }

    public double Value { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}
