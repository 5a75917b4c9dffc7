namespace Sweep.Reproduce;

/// <summary>
/// What the study's trials would cost on one GPU: an estimate from a model, never a measurement (no GPU ran this
/// study). A step costs the larger of a fixed per-step time (kernel launches and the optimizer's small ops, which do
/// not shrink with the batch) and its FLOPs at a sustained rate; an evaluation pass is FLOP-bound. The constants
/// are assumptions stated in the report, chosen for a current data-centre GPU in FP32 without tensor cores.
/// </summary>
public static class GpuEstimate
{
    /// <summary>F1's multiply-adds per sample, ×2 FLOPs, ×3 for forward and backward (docs/benchmarks.md).</summary>
    public const double TrainFlopsPerSample = 6 * 1.455e6;

    /// <summary>Forward only, for the clean evaluation passes.</summary>
    public const double EvalFlopsPerSample = 2 * 1.455e6;

    /// <summary>Assumed sustained FP32 rate: about half the peak of an H100-class GPU (67 TFLOP/s).</summary>
    public const double SustainedFlopsPerSecond = 30e12;

    /// <summary>Assumed fixed time per step: about 50 kernel launches of ~10 µs for F1's forward, backward, clipping and SGD.</summary>
    public const double StepOverheadSeconds = 0.5e-3;

    /// <summary>Rows a clean evaluation pass reads (the training set and the 10,000-image test set).</summary>
    public static double EvaluationRows(int trainSamples) => trainSamples + 10_000.0;

    public static double StepSeconds(int batchSize) =>
        Math.Max(StepOverheadSeconds, batchSize * TrainFlopsPerSample / SustainedFlopsPerSecond);

    /// <summary>Seconds of GPU compute for a trial: its steps, and its evaluations (each over train and validation).</summary>
    public static double TrialSeconds(int batchSize, double steps, int evaluations, int trainSamples) =>
        (steps * StepSeconds(batchSize)) + (evaluations * EvaluationRows(trainSamples) * EvalFlopsPerSample / SustainedFlopsPerSecond);
}
