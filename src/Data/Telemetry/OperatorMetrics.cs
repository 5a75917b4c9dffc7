using System.Diagnostics.Metrics;

namespace Sweep.Data.Telemetry;

/// <summary>
/// The gauges an operator watches: the queue by trial state, the hour's completions, workers and their heartbeats,
/// and webhook deliveries by state. Observable, so that they are read only when a reader collects (a scrape, or the
/// OTLP exporter's interval), and all from <see cref="OperatorSnapshotReader"/>'s cached snapshot.
/// </summary>
public sealed class OperatorMetrics
{
    public const string MeterName = "Sweep.Operators";

    public OperatorMetrics(IMeterFactory meters, OperatorSnapshotReader reader)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("sweep.trials", () => ByLabel(reader.Current().TrialsByState, "state"), "{trial}",
            "Trials by state: queued is the queue depth, running the trials under way.");
        meter.CreateObservableGauge("sweep.trials.completed_last_hour", () => reader.Current().TrialsCompletedLastHour, "{trial}",
            "Trials that completed in the last hour (the throughput per hour).");
        meter.CreateObservableGauge("sweep.workers", () => ByLabel(reader.Current().WorkersByState, "state"), "{worker}",
            "Registered workers by state; unresponsive: active, but no heartbeat for 60 seconds.");
        meter.CreateObservableGauge("sweep.worker.heartbeat.age", () => ByLabel(reader.Current().HeartbeatAgeByWorker, "worker"), "s",
            "Seconds since each worker that is not stopped last sent its heartbeat.");
        meter.CreateObservableGauge("sweep.webhook.deliveries", () => ByLabel(reader.Current().WebhookDeliveriesByState, "state"), "{delivery}",
            "Webhook deliveries by state: failed ran out of attempts, pending waits for its next attempt.");
    }

    private static IEnumerable<Measurement<T>> ByLabel<T>(IReadOnlyDictionary<string, T> values, string label)
        where T : struct =>
        values.Select(v => new Measurement<T>(v.Value, new KeyValuePair<string, object?>(label, v.Key)));
}
