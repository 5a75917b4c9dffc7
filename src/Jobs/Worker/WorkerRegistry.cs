using Sweep.Data.Commands;

namespace Sweep.Jobs.Worker;

/// <summary>This worker's row in <c>workers</c>, through <see cref="WorkerCommands"/>: who it is, what it runs, whether it is paused and why.</summary>
public sealed class WorkerRegistry(WorkerCommands commands)
{
    /// <summary>Registers this worker; returns the state it starts in (paused when an administrator's pause holds).</summary>
    public Task<string> RegisterAsync(string name, string device, string queues, string version, CancellationToken ct) =>
        commands.RegisterAsync(name, Environment.MachineName, device, version, queues, ct);

    /// <summary>Reports liveness and the current trial; returns the state, which the API may have changed.</summary>
    public async Task<string> HeartbeatAsync(string name, Guid? currentTrial, CancellationToken ct) =>
        await commands.HeartbeatAsync(name, currentTrial, ct) ?? throw new InvalidOperationException($"Worker {name} has no row in workers.");

    /// <summary>Counts a finished trial; returns the failures in a row so far (0 after a success).</summary>
    public Task<int> RecordOutcomeAsync(string name, bool failed, CancellationToken ct) =>
        commands.RecordOutcomeAsync(name, failed, ct);

    /// <summary>The worker pauses itself (failures in a row) after <paramref name="lastTrialId"/>; a restart clears this pause.</summary>
    public Task PauseAsync(string name, string reason, Guid lastTrialId, CancellationToken ct) =>
        commands.PauseItselfAsync(name, reason, lastTrialId, ct);

    public Task MarkStoppedAsync(string name, CancellationToken ct) => commands.MarkStoppedAsync(name, ct);
}
