using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Jobs.Engine;

/// <summary>
/// A trial's state after a completed epoch: the weights and buffers (BN running statistics), the optimizer's
/// momentum buffers, the epoch and the step. Nothing random needs saving: the trainer reseeds every epoch from
/// (seed, epoch), and w0 is rebuilt from the seed. One file, written atomically.
/// </summary>
public static class Checkpoint
{
    private const string Magic = "SWEEP-CKPT-1";

    public static void Save(string path, int epoch, long step, nn.Module model, optim.Optimizer optimizer)
    {
        var temp = path + ".tmp";
        using (var file = File.Create(temp))
        using (var writer = new BinaryWriter(file, Encoding.UTF8))
        {
            writer.Write(Magic);
            writer.Write(epoch);
            writer.Write(step);
            model.save(writer);
            ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(writer);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Restores model and optimizer in place; returns the completed epoch and the step.</summary>
    public static (int Epoch, long Step) Load(string path, nn.Module model, optim.Optimizer optimizer)
    {
        using var file = File.OpenRead(path);
        using var reader = new BinaryReader(file, Encoding.UTF8);
        if (reader.ReadString() != Magic)
        {
            throw new InvalidDataException($"{path} is not a Sweep checkpoint.");
        }

        var epoch = reader.ReadInt32();
        var step = reader.ReadInt64();
        model.load(reader);
        ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(reader);
        return (epoch, step);
    }
}
