using System.Buffers.Binary;
using System.IO.Compression;

namespace Sweep.Testing;

/// <summary>
/// Writes a small MNIST-format dataset (IDX files, gzipped or raw) that a network can learn within a few steps:
/// each class lights up its own column stripes, under noise. Tests never download data.
/// </summary>
public static class SyntheticIdxDataset
{
    public static string Create(string folder, int trainCount = 512, int testCount = 128, bool gzip = true, int seed = 42)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        WriteSplit(folder, "train", trainCount, gzip, random);
        WriteSplit(folder, "t10k", testCount, gzip, random);
        return folder;
    }

    private static void WriteSplit(string folder, string prefix, int count, bool gzip, Random random)
    {
        var images = new byte[count * 28 * 28];
        var labels = new byte[count];
        for (var n = 0; n < count; n++)
        {
            var label = (byte)(n % 10);
            labels[n] = label;
            for (var p = 0; p < 28 * 28; p++)
            {
                var column = p % 28;
                var lit = column / 2 % 10 == label;
                images[n * 784 + p] = (byte)(lit ? 150 + random.Next(100) : random.Next(90));
            }
        }

        Write(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), [count, 28, 28], images, gzip);
        Write(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), [count], labels, gzip);
    }

    public static void Write(string path, int[] shape, byte[] data, bool gzip)
    {
        using var file = File.Create(gzip ? path + ".gz" : path);
        using var stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : (Stream)file;
        stream.Write([0, 0, 0x08, (byte)shape.Length]);
        Span<byte> dim = stackalloc byte[4];
        foreach (var d in shape)
        {
            BinaryPrimitives.WriteInt32BigEndian(dim, d);
            stream.Write(dim);
        }

        stream.Write(data);
    }
}
