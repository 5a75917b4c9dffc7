namespace Sweep.Web.Sweeps;

/// <summary>How the sweeps list is sorted.</summary>
public enum SweepListSort
{
    Created,
    Name,
    BestAccuracy,
}
