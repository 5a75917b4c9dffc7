using Sweep.Domain.Execution;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

/// <summary>The transition table is consistent: its states exist, every state is reachable and can settle, and nothing leaves a final state but a retry.</summary>
public sealed class StateTransitionsTests
{
    public static TheoryData<string> Machines => new(StateTransitions.All.Select(m => m.Name));

    private static StateMachine Machine(string name) => StateTransitions.All.Single(m => m.Name == name);

    [Theory]
    [MemberData(nameof(Machines))]
    public void Every_transition_names_known_states_and_a_command_and_none_is_listed_twice(string name)
    {
        var machine = Machine(name);

        Assert.Contains(machine.Initial, machine.States);
        Assert.All(machine.Transitions, t =>
        {
            Assert.Contains(t.From, machine.States);
            Assert.Contains(t.To, machine.States);
            Assert.Matches(@"^(Trial|Sweep|Worker)Commands\.[A-Z][A-Za-z]+$", t.Command);
        });
        Assert.Equal(machine.Transitions.Count, machine.Transitions.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void Every_state_is_reachable_from_the_initial_one(string name)
    {
        var machine = Machine(name);

        Assert.Equal(machine.States.Order(), Reachable(machine, machine.Initial).Order());
    }

    [Fact]
    public void A_final_trial_leaves_its_state_only_by_a_retry_back_to_the_queue()
    {
        foreach (var final in TrialState.All.Where(TrialState.IsFinal))
        {
            Assert.All(StateTransitions.Trial.From(final), t =>
            {
                Assert.Equal(TrialState.Queued, t.To);
                Assert.Contains(t.Command, new[] { StateTransitions.RetryTrial, StateTransitions.RetryFailed });
            });
        }

        // A completed trial is never retried: its result stands.
        Assert.Empty(StateTransitions.Trial.From(TrialState.Completed));
    }

    [Fact]
    public void Every_unfinished_trial_can_end_and_only_a_claim_starts_one()
    {
        foreach (var state in TrialState.All.Where(s => !TrialState.IsFinal(s)))
        {
            Assert.Contains(Reachable(StateTransitions.Trial, state), TrialState.IsFinal);
        }

        Assert.All(StateTransitions.Trial.Transitions.Where(t => t.To == TrialState.Running), t => Assert.Equal(StateTransitions.Claim, t.Command));
    }

    [Fact]
    public void Only_the_holder_or_the_reaper_ends_a_running_trial_and_a_cancel_ends_it_as_cancelled()
    {
        var ends = StateTransitions.Trial.From(TrialState.Running).Where(t => t.To != TrialState.Running).ToList();

        Assert.All(ends.Where(t => t.To is TrialState.Completed), t => Assert.Equal(StateTransitions.Complete, t.Command));
        Assert.All(ends.Where(t => t.To is TrialState.Failed), t => Assert.Contains(t.Command, new[] { StateTransitions.Fail, StateTransitions.ReapExpired }));
        Assert.All(ends.Where(t => t.Command is StateTransitions.CancelTrial or StateTransitions.CancelSweep), t => Assert.Equal(TrialState.Cancelled, t.To));
    }

    [Fact]
    public void A_cancelled_sweep_is_reopened_only_by_a_retry_or_an_explicit_reactivation_and_a_retry_never_resumes_a_paused_one()
    {
        Assert.All(StateTransitions.Sweep.From(SweepState.Cancelled), t =>
            Assert.Contains(t.Command, new[] { StateTransitions.ReactivateSweep, StateTransitions.RetryFailed, StateTransitions.RetryTrial }));
        Assert.Empty(StateTransitions.Sweep.Targets(StateTransitions.RetryFailed, SweepState.Paused));
        Assert.Empty(StateTransitions.Sweep.Targets(StateTransitions.RetryTrial, SweepState.Paused));
        Assert.Equal(new[] { SweepState.Active }, StateTransitions.Sweep.Targets(StateTransitions.ResumeSweep, SweepState.Paused));
    }

    [Fact]
    public void A_worker_registration_may_keep_a_pause_and_only_a_registration_brings_a_stopped_worker_back()
    {
        Assert.Equal(new[] { WorkerState.Active, WorkerState.Paused }, StateTransitions.Worker.Targets(StateTransitions.RegisterWorker, WorkerState.Paused));
        Assert.All(StateTransitions.Worker.From(WorkerState.Stopped).Where(t => t.To != WorkerState.Stopped), t => Assert.Equal(StateTransitions.RegisterWorker, t.Command));
    }

    private static HashSet<string> Reachable(StateMachine machine, string start)
    {
        var seen = new HashSet<string> { start };
        var frontier = new Queue<string>([start]);
        while (frontier.TryDequeue(out var state))
        {
            foreach (var next in machine.From(state).Select(t => t.To).Where(seen.Add))
            {
                frontier.Enqueue(next);
            }
        }

        return seen;
    }
}
