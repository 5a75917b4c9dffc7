namespace Sweep.Domain.Statistics;

/// <summary>Student's t distribution: the quantiles that small-n intervals need.</summary>
public static class StudentT
{
    /// <summary>The two-sided 95 % critical value t_{0.975, df}; df may be fractional (Welch). (Contract.)</summary>
    public static double Quantile975(double degreesOfFreedom) => throw new NotImplementedException();
}
