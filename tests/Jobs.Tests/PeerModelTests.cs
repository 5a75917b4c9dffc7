using System.Diagnostics;
using System.Text.Json;
using Sweep.Domain.Catalog;
using Sweep.Jobs.Engine;
using Sweep.Jobs.Engine.Models;
using Sweep.Testing;

namespace Sweep.Jobs.Tests;

/// <summary>`./sweep bench --peer` compares like with like only if the PyTorch peer trains the same F1 as Sweep.</summary>
[Collection(GlobalRngCollection.Name)]
public sealed class PeerModelTests
{
    [PeerPythonFact]
    public async Task The_PyTorch_peer_builds_Sweep_s_F1_parameter_for_parameter()
    {
        var config = new TrainerConfig { Dataset = Datasets.FashionMnist.Name, Model = "f1", BatchSize = 4096, GhostBatchSize = 128, Epochs = 1, LearningRate = 0.1 };
        using var model = ModelFactory.Create(config, Datasets.FashionMnist);
        var sweep = model.parameters().Select(p => p.shape.ToList()).ToList();

        var peer = await PeerParameterShapesAsync();

        Assert.Equal(22, sweep.Count); // 6 Linear layers (weight, bias) and 5 BN layers (γ, β)
        Assert.Equal(sweep, peer);
    }

    private static async Task<List<List<long>>> PeerParameterShapesAsync()
    {
        var script = Path.Combine(RepositoryPaths.Root, "bench", "peer", "bigbatch_f1.py");
        var info = new ProcessStartInfo(PeerPythonFactAttribute.Python, [script, "--parameters"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"bigbatch_f1.py --parameters exited with {process.ExitCode}:\n{await stderr}");
        return JsonSerializer.Deserialize<List<List<long>>>(stdout)!;
    }
}
