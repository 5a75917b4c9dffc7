using System.Diagnostics;

namespace Sweep.Testing;

/// <summary>Stops and starts the throwaway cluster that `./sweep test` runs, for the database-restart fault test.</summary>
public sealed class PostgresServer(string bin, string data, string log, string[] userCommand)
{
    public static PostgresServer FromEnvironment()
    {
        string Required(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set. Run the tests with `./sweep test`.");

        var user = (Environment.GetEnvironmentVariable("SWEEP_TEST_PG_USER_CMD") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new PostgresServer(Required("SWEEP_TEST_PG_BIN"), Required("SWEEP_TEST_PG_DATA"), Required("SWEEP_TEST_PG_LOG"), user);
    }

    public Task StopAsync() => PgCtlAsync("stop", "-m", "fast");

    public Task StartAsync() => PgCtlAsync("start", "-l", log);

    private async Task PgCtlAsync(params string[] args)
    {
        var command = userCommand.Concat([Path.Combine(bin, "pg_ctl"), "-D", data, "-w", .. args]).ToArray();
        var info = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = "/",
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {string.Join(' ', args)} failed: {await stderr}");
        }
    }
}
