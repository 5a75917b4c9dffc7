namespace Sweep.Domain.Planning;

/// <summary>One completed trial as measured: its work, the trainer's own clock, and the time from claim to finish.</summary>
/// <param name="TrainerSeconds">The trainer's wallSeconds: training and evaluation, from the first step to the end.</param>
/// <param name="ElapsedSeconds">started_at → finished_at: also the trainer process's start, libtorch's load and the data's.</param>
public sealed record MeasuredTrial(TrialWork Work, double? TrainerSeconds, double? ElapsedSeconds);

/// <summary>
/// How fast trials run, measured on completed ones: seconds per unit of <see cref="TrialWork"/>, and the start-up
/// that every trial pays before its first step (a new process, libtorch, the dataset).
/// </summary>
/// <param name="Trials">How many completed trials the speed is measured on.</param>
/// <param name="StartupMeasured">False when no trial had both clocks and <see cref="DefaultStartupSeconds"/> stands in.</param>
public sealed record TrialSpeed(double SecondsPerUnit, double StartupSeconds, int Trials, bool StartupMeasured)
{
    /// <summary>
    /// Start-up per trial when none has been measured: the median of (finished_at − started_at − wallSeconds) over the
    /// 73 completed trials of the shipped examples (examples/*.sweep.json.gz, f1 on Fashion-MNIST, CPU workers):
    /// the four files' medians are 1.0, 2.3, 3.2 and 4.5 s.
    /// </summary>
    public const double DefaultStartupSeconds = 3.0;

    /// <summary>
    /// The speed over <paramref name="trials"/>: the trainers' seconds over their work units, and the median
    /// start-up of those with both clocks (a median, because one trial that waited for a dataset download would
    /// otherwise move every estimate). Null when no trial has a usable time.
    /// </summary>
    public static TrialSpeed? Measure(IEnumerable<MeasuredTrial> trials)
    {
        double seconds = 0, units = 0;
        var count = 0;
        var startups = new List<double>();
        foreach (var trial in trials)
        {
            if (trial.Work.Units <= 0)
            {
                continue;
            }

            // Without the trainer's clock, the elapsed time less the default start-up stands in for it.
            var trainer = trial.TrainerSeconds ?? (trial.ElapsedSeconds is { } e ? Math.Max(0, e - DefaultStartupSeconds) : null);
            if (trainer is not { } t || !double.IsFinite(t) || t < 0)
            {
                continue;
            }

            seconds += t;
            units += trial.Work.Units;
            count++;
            if (trial is { TrainerSeconds: { } inside, ElapsedSeconds: { } outside } && outside >= inside)
            {
                startups.Add(outside - inside);
            }
        }

        if (count == 0)
        {
            return null;
        }

        startups.Sort();
        var measured = startups.Count > 0;
        var startup = measured ? Median(startups) : DefaultStartupSeconds;
        return new TrialSpeed(seconds / units, startup, count, measured);
    }

    /// <summary>Seconds for one trial of this work: its start-up and its passes.</summary>
    public double SecondsFor(TrialWork work) => StartupSeconds + SecondsPerUnit * work.Units;

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
