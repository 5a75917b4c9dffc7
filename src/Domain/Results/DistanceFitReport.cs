namespace Sweep.Domain.Results;

/// <summary>distance ≈ a + b·t^α: the intercept, scale, exponent, R² and the number of points.</summary>
public sealed record PowerFitResult(double Intercept, double Scale, double Exponent, double RSquared, int Count)
{
    public double At(double step) => Intercept + (Scale * Math.Pow(step, Exponent));
}

/// <summary>
/// What a ‖w − w0‖ fit covers and says: the window of steps used (by default before the first LR drop), how many
/// decades it spans, the log-law fit and the power-law alternative, which one the AIC prefers, and — when the
/// window spans less than one decade or holds too few points — why no slope is reported.
/// </summary>
public sealed record DistanceFitReport(
    double FromStep,
    double ToStep,
    double Decades,
    int Points,
    LogFitResult? Log,
    PowerFitResult? Power,
    double? LogAic,
    double? PowerAic,
    string? Preferred,
    string? Refusal)
{
    /// <summary>The slope to report, or null when the fit was refused.</summary>
    public double? Slope => Refusal is null ? Log?.Slope : null;
}
