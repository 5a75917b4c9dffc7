namespace Sweep.Domain.Sweeps;

/// <summary>A builder warning about planned cells: which guard, the message, and how many planned cells it covers.</summary>
public sealed record SweepWarning(string Guard, string Message, int Cells);

/// <summary>
/// Warnings before submit: for every planned cell that would make fewer than 100 updates, or end with the initial
/// running statistics above 1 % of their weight. (Contract: filled in by the planning work.)
/// </summary>
public static class SweepWarnings
{
    public static IReadOnlyList<SweepWarning> For(SweepSpec spec) => throw new NotImplementedException();
}
