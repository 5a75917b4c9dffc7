using System.Diagnostics;
using System.Globalization;
using Sweep.Jobs.Engine;

namespace Sweep.Jobs.Worker;

/// <summary>
/// Tells a stalled trainer from a slow one: silence (no event line) for longer than max(k × the longest epoch timed
/// so far, a minimum). Until an epoch has been timed only the minimum applies. Time the worker itself spends storing
/// an event is not the trainer's silence (a database restart blocks the worker, not the trainer).
/// </summary>
public sealed class StallWatchdog(double epochFactor, TimeSpan minimum)
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _silentSince = TimeSpan.Zero;
    private TimeSpan? _lastEpochAt;
    private TimeSpan? _longestEpoch;

    public StallWatchdog(WorkerOptions worker)
        : this(worker.StallEpochFactor, TimeSpan.FromSeconds(worker.StallMinimumSeconds))
    {
    }

    public TimeSpan Threshold
    {
        get
        {
            lock (_gate)
            {
                return _longestEpoch is { } epoch && epoch * epochFactor > minimum ? epoch * epochFactor : minimum;
            }
        }
    }

    /// <summary>An event arrived: the silence ends, and the worker is busy with it until <see cref="Listening"/>.</summary>
    public void Heard(TrainEvent e)
    {
        lock (_gate)
        {
            var now = _clock.Elapsed;
            _silentSince = null;
            if (e is EpochEvent)
            {
                if (_lastEpochAt is { } last && (_longestEpoch is null || now - last > _longestEpoch))
                {
                    _longestEpoch = now - last;
                }

                _lastEpochAt = now;
            }
        }
    }

    /// <summary>The worker waits for the next line again.</summary>
    public void Listening()
    {
        lock (_gate)
        {
            _silentSince = _clock.Elapsed;
        }
    }

    /// <summary>Null while the trainer makes progress; else why it counts as stalled.</summary>
    public string? Check()
    {
        var threshold = Threshold;
        lock (_gate)
        {
            if (_silentSince is not { } since || _clock.Elapsed - since <= threshold)
            {
                return null;
            }

            var silent = _clock.Elapsed - since;
            var basis = _longestEpoch is { } epoch
                ? string.Create(CultureInfo.InvariantCulture, $"{epochFactor:0.##} × its longest epoch of {epoch.TotalSeconds:F1} s, at least {minimum.TotalSeconds:F0} s")
                : string.Create(CultureInfo.InvariantCulture, $"the {minimum.TotalSeconds:F0} s minimum, no epoch timed yet");
            return string.Create(CultureInfo.InvariantCulture, $"The trainer wrote no progress for {silent.TotalSeconds:F0} s (threshold {threshold.TotalSeconds:F0} s: {basis}); it was killed as stalled.");
        }
    }
}
