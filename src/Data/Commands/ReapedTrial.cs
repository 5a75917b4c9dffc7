namespace Sweep.Data.Commands;

/// <summary>A trial whose lease expired: requeued (to enqueue on <paramref name="Queue"/>), or failed as lost when <paramref name="Exhausted"/>.</summary>
public sealed record ReapedTrial(Guid Id, bool Exhausted, string Queue, int Priority);
