using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Sweep.Jobs.Engine;
using Sweep.Jobs.Worker;
using Sweep.Testing;

namespace Sweep.Jobs.Tests;

/// <summary>Worker__TrainerThreads reaches libtorch in the trainer's own process, which reports it in its environment.</summary>
public sealed class TrainerThreadsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sweep-threads-").FullName;

    [Fact]
    public async Task The_trainer_process_runs_libtorch_with_the_threads_it_is_given()
    {
        var started = await StartedEventOfTrainerAsync(threads: 1);

        Assert.Equal("1", started.Environment["threads"]);
    }

    [Fact]
    public void The_worker_passes_its_trainer_threads_into_every_trial_config()
    {
        var config = TrainerConfigFactoryTests.ConfigFor(new WorkerOptions { Name = "w", TrainerThreads = 3 });

        Assert.Equal(3, config.Threads);
        Assert.Null(TrainerConfigFactoryTests.ConfigFor(new WorkerOptions { Name = "w" }).Threads);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(1, true)]
    [InlineData(null, true)]
    public void Trainer_threads_are_validated_like_every_worker_option(int? threads, bool valid)
    {
        var options = new WorkerOptions { Name = "w", TrainerThreads = threads };
        var errors = new List<ValidationResult>();

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.Equal(valid ? [] : ["TrainerThreads"], errors.SelectMany(e => e.MemberNames));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("2", 2)]
    public void Compose_s_empty_setting_keeps_libtorch_s_default(string setting, int? threads)
    {
        // docker-compose.yml passes Worker__TrainerThreads: ${SWEEP_TRAINER_THREADS:-}, which is "" when unset.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Worker:Name"] = "w", ["Worker:TrainerThreads"] = setting })
            .Build();

        Assert.Equal(threads, configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>()!.TrainerThreads);
    }

    /// <summary>Runs `Sweep.Jobs train` as the worker does, on a tiny synthetic dataset, and returns its started event.</summary>
    private async Task<StartedEvent> StartedEventOfTrainerAsync(int threads)
    {
        var config = new TrainerConfig
        {
            Dataset = "mnist",
            Model = "f1",
            DataDir = SyntheticIdxDataset.Create(Path.Combine(_root, "data"), 128, 64),
            BatchSize = 64,
            GhostBatchSize = 32,
            Epochs = 1,
            LearningRate = 0.05,
            Threads = threads,
        };
        var configPath = Path.Combine(_root, "config.json");
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config, TrainEventJson.Options));
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { RepositoryPaths.JobsDll, "train", "--config", configPath })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = (await process.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"train exited with {process.ExitCode}:\n{await stderr}");
        return lines.Select(TrainEventJson.Deserialize).OfType<StartedEvent>().Single();
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
