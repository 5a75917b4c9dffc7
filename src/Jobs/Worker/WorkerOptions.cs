using System.ComponentModel.DataAnnotations;
using Sweep.Domain.Execution;

namespace Sweep.Jobs.Worker;

/// <summary>One worker process serves one device. Bound from the "Worker" section; validated at start.</summary>
public sealed class WorkerOptions : IValidatableObject
{
    public const string Section = "Worker";

    /// <summary>Shown in the workers list and written as the lease owner. Default: host:pid.</summary>
    [Required]
    public string Name { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>cpu, cuda or cuda:N.</summary>
    [Required]
    [RegularExpression("^(cpu|cuda(:[0-9]+)?)$", ErrorMessage = "Device must be cpu, cuda or cuda:N.")]
    public string Device { get; set; } = "cpu";

    /// <summary>Hangfire queues to listen on, in priority order. Default: high, normal and low queues of the device class and of the shared queue.</summary>
    public string[] Queues { get; set; } = [];

    /// <summary>Folder with the datasets' files; null searches the default places.</summary>
    public string? DataDir { get; set; }

    [Range(5, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How often a running trial's lease is renewed; a cancelled trial's trainer is stopped within this time.</summary>
    [Range(1, 600)]
    public int HeartbeatSeconds { get; set; } = 2;

    /// <summary>
    /// On SIGTERM the worker asks its trainer to finish the current epoch and write its checkpoint; this is how long
    /// it waits before it kills the trainer instead. The host's and Hangfire's shutdown timeouts follow from it.
    /// </summary>
    [Range(1, 3600)]
    public int DrainGraceSeconds { get; set; } = 120;

    /// <summary>
    /// A trainer that writes no event for max(this × its longest measured epoch, <see cref="StallMinimumSeconds"/>)
    /// is killed and its trial fails as stalled (a hung device call keeps the lease alive but trains nothing).
    /// </summary>
    [Range(1.5, 1000)]
    public double StallEpochFactor { get; set; } = 3;

    /// <summary>
    /// The least silence taken for a stall, and the whole threshold until an epoch has been timed: a cold start
    /// (libtorch and the dataset loading) writes nothing for tens of seconds.
    /// </summary>
    [Range(5, 86400)]
    public int StallMinimumSeconds { get; set; } = 600;

    /// <summary>
    /// Caps each trainer's writable memory (RLIMIT_DATA, through util-linux's prlimit), so that one runaway trial
    /// fails as out-of-memory instead of starving the host. Null: no cap.
    /// </summary>
    [Range(64, 1 << 22)]
    public int? TrainerMemoryLimitMb { get; set; }

    /// <summary>
    /// libtorch's intra-op threads in each trainer (torch.set_num_threads). Null: libtorch's default, one per physical
    /// core, right for one worker per host. Several CPU workers on one host should split the cores between them
    /// (`./sweep up` sets cores / workers); otherwise their trainers oversubscribe the CPU.
    /// </summary>
    [Range(1, 1024)]
    public int? TrainerThreads { get; set; }

    /// <summary>
    /// Benchmarking aid: the trainer process starts and reports its epochs without loading data or training, so
    /// that `bench scheduling` measures only Sweep's own overhead (claim, spawn, stream, store).
    /// </summary>
    public bool NoopTrainer { get; set; }

    /// <summary>
    /// Testing aid, with <see cref="NoopTrainer"/>: the no-op events are made in the worker itself instead of a child
    /// process, so that a test can run thousands of trials through the queue, claim and store in seconds. It measures
    /// the queue, not the spawn: `bench scheduling` leaves it off.
    /// </summary>
    public bool NoopInProcess { get; set; }

    /// <summary>
    /// The trainer output (stdout and stderr) kept per attempt in table trial_log_chunks, in bytes: the newest this
    /// many, older chunks deleted as new ones come. Default 1 MiB; 0 stores none (the failure message still ends
    /// with the last lines of stderr); otherwise at least 4096.
    /// </summary>
    [Range(0, 1L << 30)]
    public long TrialLogTailBytes { get; set; } = 1 << 20;

    /// <summary>How long Hangfire waits for the running trial on shutdown: the drain, then its release.</summary>
    public TimeSpan JobShutdownTimeout => TimeSpan.FromSeconds(DrainGraceSeconds + 15);

    /// <summary>How long the host waits for the worker to stop: Hangfire's wait, then the registry's last write.</summary>
    public TimeSpan HostShutdownTimeout => JobShutdownTimeout + TimeSpan.FromSeconds(15);

    public string DeviceClass => Device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? "cuda" : "cpu";

    public string[] EffectiveQueues => Queues.Length > 0 ? Queues : TrialQueues.ForWorker(DeviceClass);

    /// <summary>A worker whose trials fail this many times in a row pauses itself instead of burning the queue.</summary>
    [Range(1, 1000)]
    public int MaxConsecutiveFailures { get; set; } = 3;

    /// <summary>How often the worker reports itself and looks for trials whose lease expired.</summary>
    [Range(1, 600)]
    public int RegistrySeconds { get; set; } = 5;

    /// <summary>
    /// How often a worker looks for queued trials that have no live Hangfire job (a web process killed while
    /// enqueueing, a job deleted in the dashboard) and enqueues them again; see <see cref="QueueSweeper"/>.
    /// </summary>
    [Range(1, 86_400)]
    public int QueueSweepSeconds { get; set; } = 60;

    /// <summary>
    /// A trial that became queued less than this long ago is left alone by the queue sweep: the process that queued
    /// it may still be enqueueing its job (a 10,000-cell sweep takes a web process several seconds).
    /// </summary>
    [Range(1, 86_400)]
    public int QueueSweepGraceSeconds { get; set; } = 120;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TrialLogTailBytes is > 0 and < MinTrialLogTailBytes)
        {
            yield return new ValidationResult(
                $"TrialLogTailBytes is 0 (no trainer output stored) or at least {MinTrialLogTailBytes}; got {TrialLogTailBytes}.",
                [nameof(TrialLogTailBytes)]);
        }
    }

    /// <summary>The smallest bound: a few lines more than the stderr tail of a failure message.</summary>
    public const int MinTrialLogTailBytes = 4096;
}
