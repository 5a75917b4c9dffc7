namespace Sweep.Domain.Presets;

/// <summary>One setting in which a sweep differs from the paper preset it is compared with.</summary>
/// <param name="Setting">The setting in words ("epochs", "training subset").</param>
/// <param name="Preset">The preset's value, as text.</param>
/// <param name="Sweep">This sweep's value, as text.</param>
/// <param name="Reference">Where <paramref name="Preset"/> comes from: the preset, or the paper itself where the preset
/// already substitutes a setting (F1 on Fashion-MNIST for the paper's MNIST).</param>
public sealed record PresetDeparture(string Setting, string Preset, string Sweep, string Reference = PresetDeparture.InPreset)
{
    public const string InPreset = "the preset";

    public const string InPaper = "the paper";

    /// <summary>"epochs: 2 here, 50 in the preset".</summary>
    public override string ToString() => $"{Setting}: {Sweep} here, {Preset} in {Reference}";
}
