using System.Globalization;

namespace Sweep.Domain.Results;

public enum PointInTimeKind
{
    /// <summary>The trial's last recorded value: what a completed trial ended with.</summary>
    Final,

    /// <summary>The best value over the trained epochs (max for accuracies, min for losses, errors and gaps).</summary>
    Best,

    /// <summary>The value after a given number of completed epochs.</summary>
    Epoch,
}

/// <summary>
/// When in a trial's history a heatmap reads its metric. <see cref="Epoch"/> counts completed epochs, as the
/// per-epoch metrics do: 0 is the evaluation before training, N the one after the N-th epoch.
/// </summary>
public sealed record PointInTime(PointInTimeKind Kind, int Epoch = 0)
{
    public static PointInTime Final { get; } = new(PointInTimeKind.Final);

    public static PointInTime Best { get; } = new(PointInTimeKind.Best);

    public static PointInTime AtEpoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return new(PointInTimeKind.Epoch, epoch);
    }

    /// <summary>As the API spells it: <c>final</c>, <c>best</c> or <c>epoch:N</c>.</summary>
    public string ApiName => Kind switch
    {
        PointInTimeKind.Best => "best",
        PointInTimeKind.Epoch => "epoch:" + Epoch.ToString(CultureInfo.InvariantCulture),
        _ => "final",
    };

    /// <summary>Parses <c>final</c>, <c>best</c> or <c>epoch:N</c> (N ≥ 0); the error says what is accepted.</summary>
    public static bool TryParse(string? text, out PointInTime at, out string? error)
    {
        at = Final;
        error = null;
        var value = (text ?? "final").Trim();
        if (value.Equals("final", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Equals("best", StringComparison.OrdinalIgnoreCase))
        {
            at = Best;
            return true;
        }

        const string prefix = "epoch:";
        if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && int.TryParse(value.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            at = AtEpoch(epoch);
            return true;
        }

        error = $"Unknown point in time '{text}'. Use final, best, or epoch:N with N a whole number ≥ 0 (completed epochs; 0 is before training).";
        return false;
    }
}
