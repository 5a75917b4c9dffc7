using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine;

namespace Sweep.Jobs;

/// <summary>
/// <c>train --config FILE</c>: trains one trial and writes its events as JSON lines on stdout; logs go to stderr.
/// Exit codes: 0 completed, 2 diverged, 3 out of memory, 75 drained, 130 cancelled, 1 any other error.
/// SIGTERM drains: the current epoch finishes, its checkpoint is written and reported, and the trainer exits with
/// <see cref="DrainedExitCode"/>. SIGINT stops at once (the next step), without a checkpoint.
/// </summary>
public static class TrainCommand
{
    /// <summary>EX_TEMPFAIL: stopped on request after a checkpoint; the trial resumes from it elsewhere.</summary>
    public const int DrainedExitCode = 75;

    public static int Run(string[] args)
    {
        var index = Array.IndexOf(args, "--config");
        if (index < 0 || index + 1 >= args.Length)
        {
            Console.Error.WriteLine("Usage: Sweep.Jobs train --config FILE (a TrainerConfig as JSON; - reads stdin)");
            return 64;
        }

        var path = args[index + 1];
        var json = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
        var config = JsonSerializer.Deserialize<TrainerConfig>(json, TrainEventJson.Options)
            ?? throw new InvalidOperationException("Empty trainer config.");

        using var cancel = new CancellationTokenSource();
        using var drain = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; drain.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; cancel.Cancel(); });

        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
        var sink = new JsonLinesEventSink(stdout);
        if (args.Contains("--noop"))
        {
            ReportWithoutTraining(config, sink);
            return 0;
        }

        // Process-wide, so it is set here, in the trainer's own process, before libtorch's thread pool first runs.
        if (config.Threads is { } threads)
        {
            TorchSharp.torch.set_num_threads(threads);
        }

        try
        {
            return new Trainer(config, sink).Run(cancel.Token, drain.Token) switch
            {
                TrainOutcome.Completed => 0,
                TrainOutcome.Drained => DrainedExitCode,
                TrainOutcome.Diverged => 2,
                TrainOutcome.OutOfMemory => 3,
                TrainOutcome.Cancelled => 130,
                _ => 1,
            };
        }
        catch (Exception ex) when (IsOutOfMemory(ex))
        {
            sink.Write(new FailedEvent(FailureKind.OutOfMemory, FirstLine(ex.Message), 0, 0));
            return 3;
        }
        catch (Exception ex)
        {
            sink.Write(new FailedEvent(FailureKind.Error, FirstLine(ex.Message), 0, 0));
            Console.Error.WriteLine(ex);
            return 1;
        }
    }

    /// <summary>The no-op trainer of `bench scheduling`: the events of a run, with nothing computed.</summary>
    internal static void ReportWithoutTraining(TrainerConfig config, ITrainEventSink sink)
    {
        sink.Write(new StartedEvent(new Dictionary<string, string> { ["device"] = "noop" }, config.Epochs, 1));
        var metrics = new Dictionary<string, double> { ["trainLoss"] = 0, ["trainAccuracy"] = 1, ["valLoss"] = 0, ["valAccuracy"] = 1 };
        for (var epoch = 0; epoch <= config.Epochs; epoch++)
        {
            sink.Write(new EpochEvent(epoch, epoch, metrics));
        }

        sink.Write(new CompletedEvent(config.Epochs, config.Epochs, metrics));
    }

    /// <summary>libtorch appends its native stack to messages; the first line is the one a user can act on.</summary>
    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private static bool IsOutOfMemory(Exception ex) =>
        ex is OutOfMemoryException
        || ex.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
        || ex.Message.Contains("DefaultCPUAllocator: can't allocate memory", StringComparison.OrdinalIgnoreCase);
}
