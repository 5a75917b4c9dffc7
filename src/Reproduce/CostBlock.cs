using System.Globalization;
using System.Text;
using Sweep.Client;
using Sweep.Domain.Presets;
using Sweep.Domain.Results;
using Sweep.Domain.Statistics;

namespace Sweep.Reproduce;

/// <summary>A column's trials, each with its evaluations in epoch order.</summary>
public sealed record ColumnRun(PaperColumn Column, IReadOnlyList<(TrialInfo Trial, IReadOnlyList<EvaluationPoint> Series)> Trials);

/// <summary>
/// The cost question: how long and how many samples each configuration took to come within one point of SB's final
/// validation accuracy, its samples/s here, and — labelled as an estimate — what the same trials would cost on a GPU.
/// </summary>
public static class CostBlock
{
    /// <summary>"Within one point of SB": SB's final mean validation accuracy minus this.</summary>
    public const double Tolerance = 0.01;

    public static async Task<IReadOnlyList<ColumnRun>> LoadAsync(SweepClient client, StudyResults results, CancellationToken ct)
    {
        var runs = new List<ColumnRun>();
        foreach (var column in PaperConfiguration.Columns)
        {
            var trials = new List<(TrialInfo, IReadOnlyList<EvaluationPoint>)>();
            foreach (var trial in results.Column(column).OrderBy(t => t.Seed))
            {
                trials.Add((trial, await EpochSeries.LoadAsync(client, trial, ct)));
            }

            runs.Add(new ColumnRun(column, trials));
        }

        return runs;
    }

    /// <summary>SB's final mean validation accuracy minus <see cref="Tolerance"/>, or NaN without SB.</summary>
    public static double Target(IReadOnlyList<ColumnRun> runs) =>
        runs.Single(r => r.Column == PaperColumn.SmallBatch).Trials.Select(t => StudyResults.Metric(t.Trial, MetricNames.ValAccuracy)).DefaultIfEmpty(double.NaN).Average() - Tolerance;

    public static string Write(StudyResults results, IReadOnlyList<ColumnRun> runs)
    {
        var target = Target(runs);
        var table = new MarkdownTable(
            "configuration", "epochs", "updates", "samples processed", "trainer s per trial, mean ± 95 % CI", "claim to finish s (mean)",
            "samples/s (trainer clock)", $"trainer s to ≥ {Format.F(100 * target)} % val", "samples to get there");
        foreach (var run in runs)
        {
            var trials = run.Trials.Select(t => t.Trial).ToList();
            var trainer = trials.Select(t => StudyResults.Metric(t, MetricNames.WallSeconds)).ToList();
            var samples = trials.Select(StudyResults.Samples).ToList();
            var reached = run.Trials.Select(t => (t.Trial, Point: EpochSeries.FirstReaching(t.Series, target))).ToList();
            var perEpoch = trials.Select(results.SamplesPerEpoch).DefaultIfEmpty(0).First();
            table.Add(
                run.Column.Label(),
                Format.N(trials.Select(t => (double)t.TotalEpochs).DefaultIfEmpty(double.NaN).Average()),
                Format.N(trials.Select(t => StudyResults.Metric(t, MetricNames.Steps)).DefaultIfEmpty(double.NaN).Average()),
                Format.N(samples.DefaultIfEmpty(double.NaN).Average()),
                Format.Ci(SampleSummary.Of(trainer), scale: 1, digits: 1),
                Format.F(trials.Select(StudyResults.WallSeconds).DefaultIfEmpty(double.NaN).Average(), 1),
                Format.N(samples.Zip(trainer, (s, w) => s / w).DefaultIfEmpty(double.NaN).Average()),
                Reach(reached, p => p.TrainerSeconds, v => Format.F(v, 1)),
                Reach(reached, p => (double)p.Epoch * perEpoch, Format.N));
        }

        var text = new StringBuilder(table.ToString()).AppendLine().AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Samples/s counts the training samples over the trainer's own clock, its clean evaluations included; \"claim to finish\" is the worker's clock from the claim to the trial's end, so it adds what runs outside the trainer's. The target is SB's final validation accuracy ({Format.F(100 * (target + Tolerance))} %, mean over seeds) minus one point. A configuration reaches it at its first evaluation at or above it: evaluations run once per base epoch, so the time is an upper bound, exact to one evaluation interval. \"never\" means no evaluation of that seed got there.");
        text.AppendLine().Append(Gpu(results, runs));
        return text.ToString().TrimEnd();
    }

    /// <summary>The mean over the seeds that reached the target, with how many did; "never" when none did.</summary>
    private static string Reach(List<(TrialInfo Trial, EvaluationPoint? Point)> reached, Func<EvaluationPoint, double> value, Func<double, string> format)
    {
        var hits = reached.Where(r => r.Point is not null).Select(r => value(r.Point!)).ToList();
        if (hits.Count == 0)
        {
            return reached.Count == 0 ? "—" : "never";
        }

        var missed = reached.Where(r => r.Point is null).Select(r => r.Trial.Seed.ToString(CultureInfo.InvariantCulture)).ToList();
        return missed.Count == 0
            ? format(hits.Average())
            : $"{format(hits.Average())} ({hits.Count} of {reached.Count} seeds; never for seed {string.Join(", ", missed)})";
    }

    private static string Gpu(StudyResults results, IReadOnlyList<ColumnRun> runs)
    {
        var samples = StudySize.Samples(results.Size.TrainSubset);
        var table = new MarkdownTable("configuration", "GPU estimate: s per trial (compute only)", "measured here: trainer s per trial", "here / GPU");
        var estimates = new Dictionary<PaperColumn, double>();
        foreach (var run in runs)
        {
            var gpu = run.Trials.Select(t => GpuEstimate.TrialSeconds(t.Trial.BatchSize, StudyResults.Metric(t.Trial, MetricNames.Steps), t.Series.Count + 1, samples)).DefaultIfEmpty(double.NaN).Average();
            var here = Mean(runs, run.Column);
            estimates[run.Column] = gpu;
            table.Add(run.Column.Label(), Format.F(gpu, 2), Format.F(here, 1), Format.F(here / gpu, 0) + "×");
        }

        var fixedCost = runs.SelectMany(r => r.Trials).Select(t => StudyResults.WallSeconds(t.Trial) - StudyResults.Metric(t.Trial, MetricNames.WallSeconds)).DefaultIfEmpty(double.NaN).Average();
        var ra = estimates.GetValueOrDefault(PaperColumn.RegimeAdaptation, double.NaN) / estimates.GetValueOrDefault(PaperColumn.SmallBatch, double.NaN);
        var measuredRa = Mean(runs, PaperColumn.RegimeAdaptation) / Mean(runs, PaperColumn.SmallBatch);
        return new StringBuilder()
            .AppendLine("**On paper: one GPU (an estimate, not a measurement; no GPU ran this study).** Each step is costed as the larger of a fixed")
            .AppendLine(CultureInfo.InvariantCulture, $"{Format.F(GpuEstimate.StepOverheadSeconds * 1e3, 1)} ms (kernel launches and the optimizer's small ops, which do not shrink with B) and its FLOPs")
            .AppendLine(CultureInfo.InvariantCulture, $"({Format.F(GpuEstimate.TrainFlopsPerSample / 1e6, 2)} MFLOP per sample) at an assumed sustained {Format.F(GpuEstimate.SustainedFlopsPerSecond / 1e12, 0)} TFLOP/s in FP32; evaluation passes at the same rate. The step counts and evaluations are the measured ones.")
            .AppendLine().AppendLine(table.ToString()).AppendLine()
            .Append(CultureInfo.InvariantCulture, $"Under that model +RA costs {Format.F(ra, 1)}× SB's compute on a GPU, against {Format.F(measuredRa, 1)}× measured here: a B = {results.Size.LargeBatch} step is {Format.F(GpuEstimate.StepSeconds(results.Size.LargeBatch) / GpuEstimate.StepSeconds(StudyPlan.ReferenceBatch), 1)}× a B = {StudyPlan.ReferenceBatch} step there, against about {Format.F(results.Size.LargeBatch / (double)StudyPlan.ReferenceBatch, 0)}× the samples. ")
            .Append(CultureInfo.InvariantCulture, $"The model counts compute only. What does not shrink on a GPU, the trainer process's start, data loading and the worker's bookkeeping, is not in it: outside the trainer's clock alone that was {Format.F(fixedCost, 1)} s per trial here, {Format.F(fixedCost / estimates.GetValueOrDefault(PaperColumn.LargeBatch, double.NaN), 0)}× the estimated compute of an LB trial.")
            .ToString();
    }

    private static double Mean(IReadOnlyList<ColumnRun> runs, PaperColumn column) =>
        runs.Single(r => r.Column == column).Trials.Select(t => StudyResults.Metric(t.Trial, MetricNames.WallSeconds)).DefaultIfEmpty(double.NaN).Average();
}
