using System.Diagnostics;

namespace Sweep.Jobs.Tests;

/// <summary>
/// A fact that needs the PyTorch peer of <c>./sweep bench --peer</c> (Debian's python3-torch under /usr/bin/python3).
/// Where it is not installed the test is reported as skipped, with the package to install: the bench installs it,
/// the test command does not.
/// </summary>
public sealed class PeerPythonFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> Available = new(() =>
    {
        if (!File.Exists(Python))
        {
            return false;
        }

        using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch, numpy"]) { RedirectStandardError = true })!;
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    });

    public PeerPythonFactAttribute()
    {
        if (!Available.Value)
        {
            Skip = $"{Python} cannot import torch and numpy: apt-get install python3-torch python3-numpy (./sweep bench --peer does).";
        }
    }
}
