using Sweep.Domain.Sweeps;

namespace Sweep.Data.Entities;

/// <summary>A stored sweep. The full request is kept as JSON so that every fixed setting is reproducible.</summary>
public sealed class SweepRecord
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Dataset { get; set; }

    public required string Model { get; set; }

    /// <summary>The sweep spec as submitted (jsonb).</summary>
    public required string Spec { get; set; }

    /// <summary>Grid points dropped because their ghost batch size did not fit (with skipInvalidCells).</summary>
    public int SkippedCells { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>active, paused (no new trial starts) or cancelled.</summary>
    public string State { get; set; } = SweepState.Active;

    /// <summary>How many times a trial may be started before a lost lease fails it for good.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The Hangfire queue its trials go to: default (any worker), cpu or cuda.</summary>
    public string Queue { get; set; } = "default";

    /// <summary>A published example (loaded from examples/ at start, with its results); users may delete it.</summary>
    public bool IsExample { get; set; }

    /// <summary>The project the sweep belongs to; the default project when none was named.</summary>
    public Guid ProjectId { get; set; } = ProjectRecord.DefaultId;

    public ProjectRecord? Project { get; set; }

    /// <summary>The account that submitted the sweep; null for examples, older sweeps and deleted accounts.</summary>
    public Guid? CreatedBy { get; set; }

    /// <summary>The sweep's note as Markdown (rendered and sanitized on display); null when none was written.</summary>
    public string? Notes { get; set; }

    /// <summary>Lower-case labels to find the sweep by (<see cref="Sweep.Domain.Sweeps.SweepTags"/>); empty when none.</summary>
    public List<string> Tags { get; set; } = [];

    public List<TrialRecord> Trials { get; set; } = [];
}
