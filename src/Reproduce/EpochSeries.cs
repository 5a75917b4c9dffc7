using Sweep.Client;
using Sweep.Domain.Results;

namespace Sweep.Reproduce;

/// <summary>One clean evaluation of a trial: after which epoch, its validation accuracy, and the trainer's clock then.</summary>
public sealed record EvaluationPoint(int Epoch, double ValAccuracy, double TrainerSeconds);

/// <summary>A trial's evaluations in epoch order, read back from its metric history through the API.</summary>
public static class EpochSeries
{
    /// <summary>
    /// The epochs at which the trial measured validation accuracy (epoch 0, before training, left out), each with the
    /// trainer's <c>wallSeconds</c> of the same epoch: the time since the trainer started, evaluation passes included.
    /// </summary>
    public static async Task<IReadOnlyList<EvaluationPoint>> LoadAsync(SweepClient client, TrialInfo trial, CancellationToken ct)
    {
        var wall = new Dictionary<int, double>();
        await foreach (var point in client.AllTrialMetricsAsync(trial.Id, MetricNames.WallSeconds, ct))
        {
            wall[point.Epoch] = point.Value;
        }

        var points = new List<EvaluationPoint>();
        await foreach (var point in client.AllTrialMetricsAsync(trial.Id, MetricNames.ValAccuracy, ct))
        {
            if (point.Epoch >= 1 && wall.TryGetValue(point.Epoch, out var seconds))
            {
                points.Add(new EvaluationPoint(point.Epoch, point.Value, seconds));
            }
        }

        return points.OrderBy(p => p.Epoch).ToList();
    }

    /// <summary>The first evaluation at or above <paramref name="target"/>, or null when none reached it.</summary>
    public static EvaluationPoint? FirstReaching(IReadOnlyList<EvaluationPoint> series, double target) =>
        series.FirstOrDefault(p => p.ValAccuracy >= target);
}
