using System.Security.Cryptography;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Jobs.Engine.Data;

/// <summary>A split held as two tensors: inputs (N × features, normalized) and int64 labels.</summary>
public sealed class InMemoryDataset(Tensor inputs, Tensor labels) : IDisposable
{
    public Tensor Inputs { get; } = inputs;

    public Tensor Labels { get; } = labels;

    public long Count => Labels.shape[0];

    public void Dispose()
    {
        Inputs.Dispose();
        Labels.Dispose();
    }
}

public sealed class LoadedDataset(InMemoryDataset train, InMemoryDataset test, string sha256) : IDisposable
{
    public InMemoryDataset Train { get; } = train;

    public InMemoryDataset Test { get; } = test;

    /// <summary>SHA-256 over the decoded bytes of all four files, recorded with each trial.</summary>
    public string Sha256 { get; } = sha256;

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}

/// <summary>Loads MNIST-like IDX data and applies the paper code's normalization, (x/255 − 0.5) / 0.5.</summary>
public static class MnistLikeLoader
{
    public static LoadedDataset Load(string dataset, string? dataDir)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var train = LoadSplit(dataset, dataDir, DatasetFiles.TrainImages, DatasetFiles.TrainLabels, hash);
        var test = LoadSplit(dataset, dataDir, DatasetFiles.TestImages, DatasetFiles.TestLabels, hash);
        return new LoadedDataset(train, test, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static InMemoryDataset LoadSplit(string dataset, string? dataDir, string imagesName, string labelsName, IncrementalHash hash)
    {
        var (imageShape, images) = IdxReader.ReadUBytes(DatasetFiles.Locate(dataset, dataDir, imagesName));
        var (labelShape, labels) = IdxReader.ReadUBytes(DatasetFiles.Locate(dataset, dataDir, labelsName));
        if (imageShape.Length != 3 || labelShape.Length != 1 || imageShape[0] != labelShape[0])
        {
            throw new InvalidDataException($"Dataset '{dataset}': {imagesName} and {labelsName} do not match ({string.Join('×', imageShape)} vs {string.Join('×', labelShape)}).");
        }

        hash.AppendData(images);
        hash.AppendData(labels);
        var n = imageShape[0];
        var features = imageShape[1] * imageShape[2];
        var x = tensor(images, new long[] { n, features }, ScalarType.Byte);
        var inputs = x.to_type(ScalarType.Float32).div_(255f).sub_(0.5f).div_(0.5f);
        x.Dispose();
        var y = tensor(labels, new long[] { n }, ScalarType.Byte);
        var targets = y.to_type(ScalarType.Int64);
        y.Dispose();
        return new InMemoryDataset(inputs, targets);
    }

    /// <summary>A fixed subset of the training split, drawn with its own seed.</summary>
    public static InMemoryDataset Subset(InMemoryDataset source, int count, int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var perm = randperm(source.Count, generator: generator);
        using var index = perm.narrow(0, 0, count);
        return new InMemoryDataset(source.Inputs.index_select(0, index), source.Labels.index_select(0, index));
    }
}
