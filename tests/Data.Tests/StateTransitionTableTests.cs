using Sweep.Data.Commands;
using Sweep.Domain.Execution;
using Sweep.Domain.Sweeps;

namespace Sweep.Data.Tests;

/// <summary>
/// Domain's StateTransitions is what the commands do: every command, run on a row in every state, leaves it in
/// one of the states the table lists for that command and state, or, where the table lists none, unchanged.
/// A command added to the table without a case here fails the coverage check.
/// </summary>
public sealed class StateTransitionTableTests(StateDatabase db) : IClassFixture<StateDatabase>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    /// <summary>Each trial command, given the sweep and the trial; leases carry generation 5, which the row holds.</summary>
    private Dictionary<string, Func<Guid, Guid, Task>> TrialCases => new()
    {
        [StateTransitions.Claim] = (_, t) => db.Commands.Trials.ClaimAsync(t, "claimer", Lease, CancellationToken.None),
        [StateTransitions.Complete] = (_, t) => db.Commands.Trials.CompleteAsync(Held(t), 1, new Dictionary<string, double>(), CancellationToken.None),
        [StateTransitions.Fail] = (_, t) => db.Commands.Trials.FailAsync(Held(t), FailureKind.Error, "failed", CancellationToken.None),
        [StateTransitions.Release] = (_, t) => db.Commands.Trials.ReleaseAsync(Held(t), countsAsAttempt: true, CancellationToken.None),
        [StateTransitions.ReapExpired] = (_, _) => db.Commands.Trials.ReapExpiredAsync(CancellationToken.None),
        [StateTransitions.CancelTrial] = (_, t) => db.Commands.Trials.CancelAsync(t, CancellationToken.None),
        [StateTransitions.CancelSweep] = (s, _) => db.Commands.Sweeps.CancelAsync(s, CancellationToken.None),
        [StateTransitions.RetryTrial] = (_, t) => db.Commands.Trials.RetryAsync(t, fresh: false, CancellationToken.None),
        [StateTransitions.RetryFailed] = (s, _) => db.Commands.Sweeps.RetryFailedAsync(s, CancellationToken.None),
    };

    /// <summary>Each sweep command, given the sweep and its one trial (failed, so that retries have something to requeue).</summary>
    private Dictionary<string, Func<Guid, Guid, Task>> SweepCases => new()
    {
        [StateTransitions.PauseSweep] = (s, _) => db.Commands.Sweeps.PauseAsync(s, CancellationToken.None),
        [StateTransitions.ResumeSweep] = (s, _) => db.Commands.Sweeps.ResumeAsync(s, CancellationToken.None),
        [StateTransitions.CancelSweep] = (s, _) => db.Commands.Sweeps.CancelAsync(s, CancellationToken.None),
        [StateTransitions.ReactivateSweep] = (s, _) => db.Commands.Sweeps.ReactivateAsync(s, CancellationToken.None),
        [StateTransitions.RetryFailed] = (s, _) => db.Commands.Sweeps.RetryFailedAsync(s, CancellationToken.None),
        [StateTransitions.RetryTrial] = (_, t) => db.Commands.Trials.RetryAsync(t, fresh: false, CancellationToken.None),
    };

    private Dictionary<string, Func<string, Task>> WorkerCases => new()
    {
        [StateTransitions.RegisterWorker] = name => db.Commands.Workers.RegisterAsync(name, "host", "cpu", "0.1.0", "default", CancellationToken.None),
        [StateTransitions.PauseWorker] = name => db.Commands.Workers.PauseAsync(name, WorkerPausedBy.Administrator, "Paused through the API.", CancellationToken.None),
        [StateTransitions.ResumeWorker] = name => db.Commands.Workers.ResumeAsync(name, CancellationToken.None),
        [StateTransitions.StopWorker] = name => db.Commands.Workers.MarkStoppedAsync(name, CancellationToken.None),
    };

    [Fact]
    public void Every_command_in_the_table_has_a_case_here()
    {
        Assert.Equal(StateTransitions.Trial.Commands.Order(), TrialCases.Keys.Order());
        Assert.Equal(StateTransitions.Sweep.Commands.Order(), SweepCases.Keys.Order());
        Assert.Equal(StateTransitions.Worker.Commands.Order(), WorkerCases.Keys.Order());
    }

    [Fact]
    public async Task Every_trial_command_from_every_trial_state_makes_only_the_listed_transitions()
    {
        foreach (var (command, run) in TrialCases)
        {
            foreach (var from in TrialState.All)
            {
                var (sweep, trial) = await db.CreateTrialAsync();
                await db.SetTrialAsync(trial, from);

                await run(sweep, trial);

                Check(StateTransitions.Trial, command, from, (await db.TrialAsync(trial)).State);
            }
        }
    }

    [Fact]
    public async Task Every_sweep_command_from_every_sweep_state_makes_only_the_listed_transitions()
    {
        foreach (var (command, run) in SweepCases)
        {
            foreach (var from in SweepState.All)
            {
                var (sweep, trial) = await db.CreateTrialAsync(sweepState: from);
                await db.SetTrialAsync(trial, TrialState.Failed);

                await run(sweep, trial);

                Check(StateTransitions.Sweep, command, from, await db.SweepStateAsync(sweep));
            }
        }
    }

    [Fact]
    public async Task Every_worker_command_from_every_worker_state_makes_only_the_listed_transitions()
    {
        foreach (var (command, run) in WorkerCases)
        {
            foreach (var from in WorkerState.All)
            {
                var name = $"worker-{Guid.NewGuid():N}";
                await WorkerCases[StateTransitions.RegisterWorker](name);
                await db.ExecuteAsync($"UPDATE workers SET state = '{from}', paused_by = CASE WHEN '{from}' = 'paused' THEN 'worker' END WHERE name = '{name}'");

                await run(name);

                Check(StateTransitions.Worker, command, from, (await db.WorkerAsync(name)).State);
            }
        }
    }

    private static TrialLease Held(Guid trial) => new(trial, "earlier", 5);

    private static void Check(StateMachine machine, string command, string from, string after)
    {
        var allowed = machine.Targets(command, from);
        var expected = allowed.Count == 0 ? new[] { from } : allowed;
        Assert.True(expected.Contains(after), $"{machine.Name}: {command} from {from} left {after}; the table allows {string.Join(" or ", expected)}.");
    }
}
