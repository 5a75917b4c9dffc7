using System.Security.Cryptography;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Jobs.Engine.Data;

/// <summary>
/// Loads the binary versions of CIFAR-10 and CIFAR-100 (https://www.cs.toronto.edu/~kriz/cifar.html) as
/// [N, 3, 32, 32] float32 inputs normalized as bigBatch's preprocess.py does (x/255, then the ImageNet mean and std
/// per channel) and int64 labels (CIFAR-100: the fine label, 100 classes).
/// A record is 1 label byte (CIFAR-100: coarse then fine, 2 bytes) + 3072 pixel bytes: the R, G and B planes of 32×32
/// each, row-major. The files may sit directly in a candidate folder or in the archive's own subfolder
/// (cifar-10-batches-bin/, cifar-100-binary/).
/// </summary>
public static class CifarLoader
{
    public const int Channels = 3;
    public const int Side = 32;
    public const int PixelBytes = Channels * Side * Side;

    /// <summary>bigBatch normalizes CIFAR with the ImageNet statistics (preprocess.py, __imagenet_stats).</summary>
    public static IReadOnlyList<float> Mean { get; } = [0.485f, 0.456f, 0.406f];

    public static IReadOnlyList<float> Std { get; } = [0.229f, 0.224f, 0.225f];

    public static IReadOnlyList<string> Cifar10TrainFiles { get; } =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    public const string Cifar10TestFile = "test_batch.bin";
    public const string Cifar10Subfolder = "cifar-10-batches-bin";
    public const string Cifar100TrainFile = "train.bin";
    public const string Cifar100TestFile = "test.bin";
    public const string Cifar100Subfolder = "cifar-100-binary";

    /// <summary>The normalized value of a raw pixel byte in channel <paramref name="channel"/>.</summary>
    public static float Normalize(int channel, byte pixel) => (pixel / 255f - Mean[channel]) / Std[channel];

    public static LoadedDataset Load(string dataset, string? dataDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataset);
        var layout = dataset.ToLowerInvariant() switch
        {
            "cifar10" => new Layout(Cifar10Subfolder, Cifar10TrainFiles, [Cifar10TestFile], LabelBytes: 1, Classes: 10),
            "cifar100" => new Layout(Cifar100Subfolder, [Cifar100TrainFile], [Cifar100TestFile], LabelBytes: 2, Classes: 100),
            _ => throw new ArgumentException($"'{dataset}' is not a CIFAR dataset (cifar10 or cifar100).", nameof(dataset)),
        };

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var train = LoadSplit(dataset, dataDir, layout, layout.TrainFiles, hash);
        try
        {
            var test = LoadSplit(dataset, dataDir, layout, layout.TestFiles, hash);
            return new LoadedDataset(train, test, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>The path of one file of the dataset, or an error that says where to put it.</summary>
    public static string Locate(string dataset, string? dataDir, string subfolder, string fileName)
    {
        var folders = DatasetFiles.CandidateFolders(dataset, dataDir);
        foreach (var folder in folders)
        {
            foreach (var path in new[] { Path.Combine(folder, fileName), Path.Combine(folder, subfolder, fileName) })
            {
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        throw new FileNotFoundException(
            $"Dataset '{dataset}': file {fileName} is missing. Put it in {folders[0]} (or its {subfolder}/ subfolder, as the binary archive unpacks); searched: {string.Join(", ", folders)}.",
            fileName);
    }

    private static InMemoryDataset LoadSplit(string dataset, string? dataDir, Layout layout, IReadOnlyList<string> files, IncrementalHash hash)
    {
        var recordBytes = layout.LabelBytes + PixelBytes;
        var contents = new List<byte[]>(files.Count);
        long total = 0;
        foreach (var name in files)
        {
            var path = Locate(dataset, dataDir, layout.Subfolder, name);
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length == 0 || bytes.Length % recordBytes != 0)
            {
                throw new InvalidDataException($"Dataset '{dataset}': {path} holds {bytes.Length} bytes, not a whole number of {recordBytes}-byte records.");
            }

            hash.AppendData(bytes);
            contents.Add(bytes);
            total += bytes.Length / recordBytes;
        }

        var n = checked((int)total);
        var pixels = new byte[(long)n * PixelBytes];
        var labels = new long[n];
        var row = 0;
        foreach (var bytes in contents)
        {
            for (var offset = 0; offset < bytes.Length; offset += recordBytes, row++)
            {
                // CIFAR-100 records are <coarse label><fine label><pixels>: the label is the last label byte.
                var label = bytes[offset + layout.LabelBytes - 1];
                if (label >= layout.Classes)
                {
                    throw new InvalidDataException($"Dataset '{dataset}': record {row} has label {label}, outside 0..{layout.Classes - 1}.");
                }

                labels[row] = label;
                Buffer.BlockCopy(bytes, offset + layout.LabelBytes, pixels, (int)((long)row * PixelBytes), PixelBytes);
            }
        }

        contents.Clear();
        using var raw = tensor(pixels, new long[] { n, Channels, Side, Side }, ScalarType.Byte);
        using var mean = tensor(Mean.ToArray(), new long[] { 1, Channels, 1, 1 });
        using var std = tensor(Std.ToArray(), new long[] { 1, Channels, 1, 1 });
        var inputs = raw.to_type(ScalarType.Float32).div_(255f).sub_(mean).div_(std);
        var targets = tensor(labels, new long[] { n }, ScalarType.Int64);
        return new InMemoryDataset(inputs, targets);
    }

    private sealed record Layout(string Subfolder, IReadOnlyList<string> TrainFiles, IReadOnlyList<string> TestFiles, int LabelBytes, int Classes);
}
