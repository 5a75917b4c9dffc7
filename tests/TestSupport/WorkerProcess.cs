using System.Diagnostics;
namespace Sweep.Testing;

/// <summary>A real Jobs worker process (the same binary `up` starts), pointed at a test database.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    /// <param name="connectionString">Passed in the environment; null when the configuration directory holds it.</param>
    /// <param name="workingDirectory">The worker's content root, whose appsettings.json it reads; default: its build output.</param>
    public WorkerProcess(string? connectionString, string name, IReadOnlyDictionary<string, string>? settings = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(RepositoryPaths.JobsDll)!,
        };
        info.ArgumentList.Add(RepositoryPaths.JobsDll);
        info.ArgumentList.Add("worker");
        if (connectionString is not null)
        {
            info.Environment["ConnectionStrings__Sweep"] = connectionString;
            info.Environment["Worker__Name"] = name;
        }

        info.Environment["Worker__HeartbeatSeconds"] = "2";
        info.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        Name = name;
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The trainer processes this worker has started and that are still alive.</summary>
    public IReadOnlyList<int> TrainerPids() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == _process.Id && CommandLine(pid).Contains("\0train\0", StringComparison.Ordinal))
            .ToList();

    /// <summary>SIGKILL, as a crash or a power cut would: no cleanup, no graceful shutdown.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, as `docker stop` or an orchestrator sends it: the worker drains its trial and exits.</summary>
    public void Terminate() => Signal(_process.Id, "TERM");

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>Sends a signal by name (TERM, STOP, CONT) to any process, through kill(1).</summary>
    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed with exit code {kill.ExitCode}.");
        }
    }

    /// <summary>True while the process exists, zombies included: gone means killed and reaped by its parent.</summary>
    public static bool Exists(int pid) => Directory.Exists($"/proc/{pid}");

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }

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

    /// <summary>Whether any line the worker wrote so far contains <paramref name="text"/> (<see cref="Output"/> keeps only the last lines).</summary>
    public bool Logged(string text)
    {
        lock (_output)
        {
            return _output.Any(line => line.Contains(text, StringComparison.Ordinal));
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
