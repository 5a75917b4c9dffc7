using Sweep.Client;
using Sweep.Domain.Presets;
using Sweep.Domain.Results;

namespace Sweep.Reproduce;

/// <summary>The study's trials, grouped the way the report reads them.</summary>
public sealed class StudyResults(StudySize size, IReadOnlyDictionary<string, SweepInfo> sweeps)
{
    public StudySize Size => size;

    public SweepInfo Table => sweeps["table"];

    public SweepInfo RunningStats => sweeps["running-stats"];

    public SweepInfo HeatmapRegime1 => sweeps["heatmap-r1"];

    public SweepInfo HeatmapAuto => sweeps["heatmap-auto"];

    public IReadOnlyList<SweepInfo> All => [Table, RunningStats, HeatmapRegime1, HeatmapAuto];

    /// <summary>The completed trials of one of the paper's columns, every seed.</summary>
    public IReadOnlyList<TrialInfo> Column(PaperColumn column) =>
        Completed(Table).Where(t => StudyPlan.Table(size).InStudy(StudyRunner.Values(t)) && StudyPlan.Column(StudyRunner.Values(t), size.LargeBatch) == column).ToList();

    public static IEnumerable<TrialInfo> Completed(SweepInfo sweep) => sweep.Trials.Where(t => t.State == "completed");

    /// <summary>Trials of the study that did not complete (failed or still cancelled), for the report's honesty line.</summary>
    public IEnumerable<(string Sweep, TrialInfo Trial)> Unfinished()
    {
        foreach (var plan in StudyPlan.Sweeps(size))
        {
            var sweep = sweeps[plan.Key];
            foreach (var trial in sweep.Trials.Where(t => t.State != "completed" && plan.InStudy(StudyRunner.Values(t))))
            {
                yield return (plan.Key, trial);
            }
        }
    }

    public static double Metric(TrialInfo trial, string key) =>
        trial.Metrics.TryGetValue(key, out var value) ? value : double.NaN;

    /// <summary>Wall-clock seconds from the claim to the end, including the trainer process's start and data loading.</summary>
    public static double WallSeconds(TrialInfo trial) =>
        trial is { StartedAt: { } start, FinishedAt: { } end } ? (end - start).TotalSeconds : double.NaN;

    /// <summary>Training samples processed: every step is a full batch (the trainer drops an epoch's ragged last batch).</summary>
    public static double Samples(TrialInfo trial) => Metric(trial, MetricNames.Steps) * trial.BatchSize;

    /// <summary>Training samples in one epoch of a table or running-statistics trial: its full batches.</summary>
    public int SamplesPerEpoch(TrialInfo trial) => StudySize.Samples(size.TrainSubset) / trial.BatchSize * trial.BatchSize;

    /// <summary>A metric's final value per seed (the mean where a seed has several trials, as for an averaged axis).</summary>
    public static IReadOnlyDictionary<int, double> BySeed(IEnumerable<TrialInfo> trials, string key) =>
        trials.GroupBy(t => t.Seed).ToDictionary(g => g.Key, g => g.Average(t => Metric(t, key)));

    /// <summary>The completed trials of a heatmap sweep at one (B, G) that belong to the study.</summary>
    public IReadOnlyList<TrialInfo> HeatmapCell(bool auto, int batchSize, int ghostBatchSize) =>
        Completed(auto ? HeatmapAuto : HeatmapRegime1)
            .Where(t => t.BatchSize == batchSize && t.GhostBatchSize == ghostBatchSize && StudyPlan.Heatmap(size, auto).InStudy(StudyRunner.Values(t)))
            .ToList();
}
