namespace Sweep.Web.Sweeps;

/// <summary>Measured speed of completed trials (<see cref="Sweep.Domain.Planning.TrialSpeed"/>: per unit of work, and start-up).</summary>
/// <param name="Device">The device class the trials ran on (cpu, cuda), or null for any.</param>
public sealed record MeasuredRate(Sweep.Domain.Planning.TrialSpeed Speed, string? Device)
{
    /// <summary>How many completed trials the speed is measured on.</summary>
    public int Trials => Speed.Trials;
}
