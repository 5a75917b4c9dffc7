namespace Sweep.Domain.Execution;

/// <summary>
/// One allowed change of a row's state: the named command (in src/Data/Commands) that takes a row in
/// <paramref name="From"/> and leaves it in <paramref name="To"/>. From and To may be equal: the command accepts
/// that state and writes it again (a takeover, a restart).
/// </summary>
public sealed record StateTransition(string From, string To, string Command);
