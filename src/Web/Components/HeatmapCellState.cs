using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Components;

/// <summary>What a heatmap cell holds: a value, or why it has none.</summary>
public enum HeatmapCellState
{
    /// <summary>A finite value over n seeds.</summary>
    Value,

    /// <summary>Not yet run: a trial of the cell is queued or running.</summary>
    Pending,

    /// <summary>Every trial that could have given a value failed.</summary>
    Failed,

    /// <summary>
    /// Every trial that could have given a value failed, and at least one ran out of memory: a cell past the memory
    /// frontier over (B, G). Its outline says so even where the other seeds give a value.
    /// </summary>
    OutOfMemory,

    /// <summary>Every trial that could have given a value was cancelled.</summary>
    Cancelled,

    /// <summary>No trial at all: the grid skipped the combination as invalid (e.g. a ghost batch larger than the batch).</summary>
    Invalid,

    /// <summary>Trials completed but have no value at this point in time (e.g. they ended before the chosen epoch).</summary>
    NoValue,
}

/// <summary>
/// Classifies heatmap cells and says each missing state in a glyph and a word, so that a cell without a colour still
/// reads: the chart draws the glyph, the table and the key the words.
/// </summary>
public static class HeatmapCells
{
    /// <summary>The missing states in the order the key lists them.</summary>
    public static IReadOnlyList<HeatmapCellState> Missing { get; } =
        [HeatmapCellState.OutOfMemory, HeatmapCellState.Failed, HeatmapCellState.Cancelled, HeatmapCellState.Invalid, HeatmapCellState.Pending, HeatmapCellState.NoValue];

    /// <summary>
    /// What <c>stateOf</c> holds for a failed trial that ran out of memory, in place of its state (see
    /// <see cref="TrialMarks"/>): the one failure kind a heatmap tells apart, because it draws the memory frontier.
    /// </summary>
    public const string RanOutOfMemory = FailureKind.OutOfMemory;

    /// <summary>Each trial's state by id, with <see cref="RanOutOfMemory"/> for the failed trials that ran out of memory.</summary>
    public static IReadOnlyDictionary<Guid, string> TrialMarks(IEnumerable<TrialView> trials) =>
        trials.ToDictionary(t => t.Id, t => t is { State: TrialState.Failed, FailureKind: FailureKind.OutOfMemory } ? RanOutOfMemory : t.State);

    /// <summary>
    /// The state of cell [y][x]. A value wins; without one, a trial still to run makes the cell pending (it may yet
    /// get a value), then out of memory before failed before cancelled. <paramref name="stateOf"/> gives a trial's
    /// state (null: unknown), or <see cref="RanOutOfMemory"/>.
    /// </summary>
    public static HeatmapCellState StateAt(Heatmap map, int y, int x, IReadOnlyDictionary<Guid, string> stateOf)
    {
        if (map.Z.Count > y && map.Z[y].Count > x && map.Z[y][x] is not null)
        {
            return HeatmapCellState.Value;
        }

        var trials = TrialsAt(map, y, x);
        if (trials.Count == 0)
        {
            return HeatmapCellState.Invalid;
        }

        var states = trials.Select(id => stateOf.GetValueOrDefault(id)).ToList();
        return states.Any(s => s is TrialState.Queued or TrialState.Running) ? HeatmapCellState.Pending
            : states.Contains(RanOutOfMemory) ? HeatmapCellState.OutOfMemory
            : states.Contains(TrialState.Failed) ? HeatmapCellState.Failed
            : states.Contains(TrialState.Cancelled) ? HeatmapCellState.Cancelled
            : HeatmapCellState.NoValue;
    }

    /// <summary>True when a trial of cell [y][x] ran out of memory, whether or not the other trials give it a value.</summary>
    public static bool OutOfMemoryAt(Heatmap map, int y, int x, IReadOnlyDictionary<Guid, string> stateOf) =>
        TrialsAt(map, y, x).Any(id => stateOf.GetValueOrDefault(id) == RanOutOfMemory);

    private static IReadOnlyList<Guid> TrialsAt(Heatmap map, int y, int x) =>
        map.Trials.Count > y && map.Trials[y].Count > x ? map.Trials[y][x] : [];

    /// <summary>Every cell's state, [y][x].</summary>
    public static IReadOnlyList<IReadOnlyList<HeatmapCellState>> States(Heatmap map, IReadOnlyDictionary<Guid, string> stateOf) =>
        map.Z.Select((row, y) => (IReadOnlyList<HeatmapCellState>)row.Select((_, x) => StateAt(map, y, x, stateOf)).ToList()).ToList();

    /// <summary>The glyph drawn on a cell without a value.</summary>
    public static string Glyph(HeatmapCellState state) => state switch
    {
        HeatmapCellState.OutOfMemory => "⊠",
        HeatmapCellState.Failed => "✕",
        HeatmapCellState.Cancelled => "⊘",
        HeatmapCellState.Invalid => "—",
        HeatmapCellState.Pending => "…",
        HeatmapCellState.NoValue => "·",
        _ => "",
    };

    /// <summary>The word for a missing state, as the chart, the table and the key say it.</summary>
    public static string Word(HeatmapCellState state) => state switch
    {
        HeatmapCellState.OutOfMemory => "out of memory",
        HeatmapCellState.Failed => "failed",
        HeatmapCellState.Cancelled => "cancelled",
        HeatmapCellState.Invalid => "invalid",
        HeatmapCellState.Pending => "pending",
        HeatmapCellState.NoValue => "no value",
        _ => "",
    };

    /// <summary>What the key says a glyph means.</summary>
    public static string Meaning(HeatmapCellState state) => state switch
    {
        HeatmapCellState.OutOfMemory => "out of memory: its trials failed, at least one for lack of memory (cells outlined in red lost a trial to it)",
        HeatmapCellState.Failed => "failed: its trials failed",
        HeatmapCellState.Cancelled => "cancelled: its trials were cancelled",
        HeatmapCellState.Invalid => "invalid: skipped, not a valid cell of the grid",
        HeatmapCellState.Pending => "pending: queued or running, not yet run",
        HeatmapCellState.NoValue => "no value at this point in time (e.g. ended before the epoch)",
        _ => "",
    };

    /// <summary>"✕ failed": what a cell without a value shows.</summary>
    public static string Mark(HeatmapCellState state) => Glyph(state) + " " + Word(state);

    /// <summary>A cell with a value: "83.5 %" in the tables' unit, and the seeds it averages.</summary>
    public static (string Value, string Seeds) ValueLabel(Heatmap map, int y, int x, string metric) =>
        (MetricLabels.Format(metric, map.Z[y][x]), $"n={(map.Count.Count > y && map.Count[y].Count > x ? map.Count[y][x] : 0)}");
}
