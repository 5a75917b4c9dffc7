namespace Sweep.Domain.Sweeps;

/// <summary>
/// The per-project cap on queued trials (<see cref="SweepLimits.MaxQueuedTrialsPerProject"/>): one project cannot
/// fill the queue for everyone. The error is keyed <c>grid</c>, the field that decides how many trials a request adds.
/// </summary>
public static class ProjectQueueLimit
{
    public const string Field = "grid";

    /// <summary>Empty when the project can take <paramref name="adding"/> more queued trials; else the field error.</summary>
    public static IReadOnlyDictionary<string, string[]> Check(long queuedNow, int adding, SweepLimits limits) =>
        adding == 0 || queuedNow + adding <= limits.MaxQueuedTrialsPerProject
            ? new Dictionary<string, string[]>()
            : new Dictionary<string, string[]>
            {
                [Field] =
                [
                    $"A project may have at most {limits.MaxQueuedTrialsPerProject} queued trials; this one has {queuedNow} queued now and this request adds {adding}. "
                    + "Wait for queued trials to run, cancel some, or ask for fewer cells.",
                ],
            };
}
