using System.Globalization;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Presets;

/// <summary>
/// How a sweep departs from the paper preset whose published numbers are shown beside it. A sweep "claims" a preset
/// when the paper's table has its network (<see cref="PaperPresets.FindRow"/>): the page then prints the paper's
/// accuracies, and a 2-epoch run on 1,024 images must not read as if it were the paper's 50-epoch run.
/// </summary>
public static class PresetDepartures
{
    /// <summary>
    /// The preset a sweep is compared with: the one of the same model and dataset, or else the one of the paper's
    /// row for the model (whose dataset then departs). Null when the paper has no row for the model.
    /// </summary>
    public static PaperPreset? PresetFor(SweepSpec spec)
    {
        if (PaperPresets.FindRow(spec.Model, spec.Dataset) is not { } found)
        {
            return null;
        }

        return PaperPresets.All.FirstOrDefault(p => Same(p.Request.Model, spec.Model) && Same(p.Request.Dataset, spec.Dataset))
            ?? PaperPresets.All.FirstOrDefault(p => p.Row == found.Row);
    }

    /// <summary>The departures from <see cref="PresetFor"/>; empty when the sweep claims no preset or follows it.</summary>
    public static IReadOnlyList<PresetDeparture> Of(SweepSpec spec) =>
        PresetFor(spec) is { } preset ? Of(spec, preset) : [];

    /// <summary>
    /// Every setting that changes what the paper's numbers mean: model and dataset (also against the paper's own
    /// dataset when the preset already substitutes one), the epoch budget, a training subset, the learning-rate rule
    /// (η_ref, B_ref, drops), momentum and weight decay, and the large batch.
    /// </summary>
    public static IReadOnlyList<PresetDeparture> Of(SweepSpec spec, PaperPreset preset)
    {
        var expected = preset.Request.ToSpec();
        var (t, p) = (spec.Training, expected.Training);
        var departures = new List<PresetDeparture>();
        void Compare(string setting, string presetValue, string sweepValue)
        {
            if (presetValue != sweepValue)
            {
                departures.Add(new PresetDeparture(setting, presetValue, sweepValue));
            }
        }

        Compare("model", expected.Model, spec.Model);
        Compare("dataset", expected.Dataset, spec.Dataset);
        if (!Same(preset.Row.Dataset, spec.Dataset) && Same(expected.Dataset, spec.Dataset))
        {
            // The preset itself substitutes the dataset (F1 on Fashion-MNIST): the paper's numbers are for another one.
            departures.Add(new PresetDeparture("dataset", preset.Row.DatasetLabel, spec.Dataset, PresetDeparture.InPaper));
        }

        Compare("epochs", Number(p.Epochs), Number(t.Epochs));
        Compare("training subset", Subset(p.TrainSubset), Subset(t.TrainSubset));
        Compare("η_ref (learning rate)", Number(p.LearningRate), Number(t.LearningRate));
        Compare("B_ref (reference batch)", Number(p.ReferenceBatchSize), Number(t.ReferenceBatchSize));
        Compare("LR drop epochs", List(p.LrDropEpochs.Select(Number)), List(t.LrDropEpochs.Select(Number)));
        Compare("LR drop factors", List(Factors(p).Select(Number)), List(Factors(t).Select(Number)));
        Compare("momentum", Number(p.Momentum), Number(t.Momentum));
        Compare("weight decay", Number(p.WeightDecay), Number(t.WeightDecay));
        Compare("large batch", Number(preset.LargeBatch), spec.Grid.BatchSize.Count > 0 ? Number(spec.Grid.BatchSize.Max()) : "none");
        return departures;
    }

    /// <summary>The factor of each drop, as the trainer applies them (one shared factor or one per drop).</summary>
    private static IEnumerable<double> Factors(TrainingSpec training) =>
        training.LrDropEpochs.Select((_, i) => training.DropFactorAt(i));

    private static string Subset(int? subset) => subset is { } n ? Number(n) + " images" : "full training set";

    private static string List(IEnumerable<string> values) => values.Any() ? string.Join(", ", values) : "none";

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
