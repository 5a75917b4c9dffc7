namespace Sweep.Domain.Execution;

/// <summary>A row's states, the state it is created in, and every transition a command may make.</summary>
public sealed record StateMachine(string Name, string Initial, IReadOnlyList<string> States, IReadOnlyList<StateTransition> Transitions)
{
    public IEnumerable<StateTransition> From(string state) => Transitions.Where(t => t.From == state);

    /// <summary>The states <paramref name="command"/> may leave a row in that was in <paramref name="from"/>; none: it leaves the row alone.</summary>
    public IReadOnlyList<string> Targets(string command, string from) =>
        Transitions.Where(t => t.Command == command && t.From == from).Select(t => t.To).ToList();

    public IReadOnlyList<string> Commands => Transitions.Select(t => t.Command).Distinct().ToList();
}
