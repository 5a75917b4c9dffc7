using System.Diagnostics;
using Sweep.Domain.Results;

namespace Sweep.Jobs.Engine;

/// <summary>
/// What the trainer process has used so far: its peak resident memory (on Linux .NET reads the kernel's VmHWM, the
/// high-water mark, so a spike between two epochs is not missed) and its CPU time over all threads. Each trial runs
/// in its own process, so these are the trial's own.
/// </summary>
internal static class ProcessResources
{
    public static void AddTo(Dictionary<string, double> metrics)
    {
        using var self = Process.GetCurrentProcess();
        metrics[MetricNames.PeakRssMiB] = self.PeakWorkingSet64 / (1024.0 * 1024.0);
        metrics[MetricNames.CpuSeconds] = self.TotalProcessorTime.TotalSeconds;
    }
}
