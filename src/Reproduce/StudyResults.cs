using Sweep.Client;
using Sweep.Domain.Presets;

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

    /// <summary>Training samples processed: every step is a full batch (the subset is a multiple of every batch size).</summary>
    public static double Samples(TrialInfo trial) => Metric(trial, "steps") * trial.BatchSize;
}
