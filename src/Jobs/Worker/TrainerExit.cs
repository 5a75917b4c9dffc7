namespace Sweep.Jobs.Worker;

/// <summary>How the trainer process ended: its exit code, the end of its stderr, and why the watchdog killed it, if it did.</summary>
public sealed record TrainerExit(int ExitCode, string StderrTail, string? Stalled = null)
{
    /// <summary>It stopped on SIGTERM after writing the checkpoint of its current epoch.</summary>
    public bool Drained => ExitCode == TrainCommand.DrainedExitCode && Stalled is null;
}
