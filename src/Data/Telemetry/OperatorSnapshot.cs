using Sweep.Domain.Sweeps;

namespace Sweep.Data.Telemetry;

/// <summary>
/// What the operator gauges show, as read in one query at one moment. Every known state is present, with 0 where no
/// row has it, so that a series does not vanish from Prometheus when its count drops to nothing.
/// </summary>
public sealed record OperatorSnapshot(
    IReadOnlyDictionary<string, long> TrialsByState,
    long TrialsCompletedLastHour,
    IReadOnlyDictionary<string, long> WorkersByState,
    IReadOnlyDictionary<string, double> HeartbeatAgeByWorker,
    IReadOnlyDictionary<string, long> WebhookDeliveriesByState)
{
    /// <summary>An active worker whose heartbeat is older than this is counted as unresponsive (as the workers API shows it).</summary>
    public static readonly TimeSpan UnresponsiveAfter = TimeSpan.FromSeconds(60);

    /// <summary>A view state only, as in the workers API: an active row whose heartbeat is older than <see cref="UnresponsiveAfter"/>.</summary>
    public const string Unresponsive = "unresponsive";

    /// <summary>The states of <c>webhook_deliveries.state</c> (see WebhookDeliveryRecord).</summary>
    public static IReadOnlyList<string> DeliveryStates { get; } = ["pending", "delivered", "failed"];

    public static IReadOnlyList<string> WorkerStates { get; } = [.. WorkerState.All, Unresponsive];

    public static OperatorSnapshot Empty { get; } = From([]);

    public static OperatorSnapshot From(IReadOnlyList<OperatorRow> rows) => new(
        Counts(rows, OperatorSnapshotReader.Trials, TrialState.All),
        rows.Where(r => r.Kind == OperatorSnapshotReader.CompletedLastHour).Sum(r => (long)r.Value),
        WorkerCounts(rows),
        rows.Where(r => r.Kind == OperatorSnapshotReader.Worker && r.State != WorkerState.Stopped).ToDictionary(r => r.Name, r => r.Value),
        Counts(rows, OperatorSnapshotReader.Deliveries, DeliveryStates));

    private static Dictionary<string, long> Counts(IReadOnlyList<OperatorRow> rows, string kind, IReadOnlyList<string> known)
    {
        var counts = known.ToDictionary(s => s, _ => 0L);
        foreach (var row in rows.Where(r => r.Kind == kind))
        {
            counts[row.Name] = (long)row.Value;
        }

        return counts;
    }

    private static Dictionary<string, long> WorkerCounts(IReadOnlyList<OperatorRow> rows)
    {
        var counts = WorkerStates.ToDictionary(s => s, _ => 0L);
        foreach (var worker in rows.Where(r => r.Kind == OperatorSnapshotReader.Worker))
        {
            var state = worker.State == WorkerState.Active && worker.Value > UnresponsiveAfter.TotalSeconds ? Unresponsive : worker.State ?? "";
            counts[state] = counts.GetValueOrDefault(state) + 1;
        }

        return counts;
    }
}
