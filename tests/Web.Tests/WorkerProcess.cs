using System.Diagnostics;
using Sweep.Testing;

namespace Sweep.Web.Tests;

/// <summary>A real Jobs worker process (the same binary `up` starts), pointed at a test database.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    public WorkerProcess(string connectionString, string name)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(RepositoryPaths.JobsDll)!,
        };
        info.ArgumentList.Add(RepositoryPaths.JobsDll);
        info.ArgumentList.Add("worker");
        info.Environment["ConnectionStrings__Sweep"] = connectionString;
        info.Environment["Worker__Name"] = name;
        info.Environment["Worker__HeartbeatSeconds"] = "2";
        info.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(60));
            }
        }
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
