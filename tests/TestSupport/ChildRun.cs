using System.Diagnostics;
using Xunit;

namespace Sweep.Testing;

/// <summary>A script the tests run as a child process: its exit code and its whole output, or a failure when it overruns.</summary>
public static class ChildRun
{
    /// <summary>
    /// Starts <paramref name="info"/> with stdout and stderr redirected and waits up to <paramref name="limit"/>; past
    /// it, kills the process tree and fails the test with <paramref name="what"/>, the output and <paramref name="context"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo info, TimeSpan limit, string what, Func<string>? context = null)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{what} ran past {limit.TotalMinutes:0} minutes:\n" + await stdout + await stderr + context?.Invoke());
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
