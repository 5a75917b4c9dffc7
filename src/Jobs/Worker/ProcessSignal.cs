using System.Runtime.InteropServices;

namespace Sweep.Jobs.Worker;

/// <summary>.NET can only SIGKILL a process; the drain needs SIGTERM, which asks the trainer to stop after a checkpoint.</summary>
internal static class ProcessSignal
{
    private const int Sigterm = 15;

    public static bool Terminate(int pid) => Kill(pid, Sigterm) == 0;

    // DllImport rather than LibraryImport: the latter's generated stub needs unsafe code for two ints.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
