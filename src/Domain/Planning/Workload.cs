using Sweep.Domain.Catalog;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Planning;

/// <summary>The epochs each cell of a grid trains, and their sum times the training-set size: the work to estimate time from.</summary>
public static class Workload
{
    public static (long Epochs, double SampleEpochs) Of(SweepSpec spec, GridExpansion expansion)
    {
        var trainSize = spec.Training.TrainSubset ?? Datasets.Find(spec.Dataset)?.TrainSize ?? 0;
        long epochs = 0;
        foreach (var cell in expansion.Cells)
        {
            epochs += TrainingPlan.Resolve(cell, spec.Training, Math.Max(trainSize, 1)).Epochs;
        }

        return (epochs, (double)epochs * trainSize);
    }
}
