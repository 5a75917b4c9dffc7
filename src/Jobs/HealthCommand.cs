namespace Sweep.Jobs;

/// <summary>
/// <c>health</c>: exit 0 while this container's worker beats. The supervisor touches <see cref="FilePath"/> on every
/// registry beat; a file older than a minute means the worker hangs or has stopped. For container health checks.
/// </summary>
public static class HealthCommand
{
    public static string FilePath =>
        Environment.GetEnvironmentVariable("SWEEP_HEALTH_FILE") is { Length: > 0 } path
            ? path
            : Path.Combine(Path.GetTempPath(), "sweep-worker.alive");

    public static void Beat() => File.WriteAllText(FilePath, DateTimeOffset.UtcNow.ToString("O"));

    public static int Run()
    {
        var file = new FileInfo(FilePath);
        if (!file.Exists)
        {
            Console.Error.WriteLine($"unhealthy: {FilePath} does not exist (the worker has not started beating).");
            return 1;
        }

        var age = DateTime.UtcNow - file.LastWriteTimeUtc;
        if (age > TimeSpan.FromMinutes(1))
        {
            Console.Error.WriteLine($"unhealthy: last beat {age.TotalSeconds:F0} s ago.");
            return 1;
        }

        Console.WriteLine($"healthy: last beat {age.TotalSeconds:F0} s ago.");
        return 0;
    }
}
