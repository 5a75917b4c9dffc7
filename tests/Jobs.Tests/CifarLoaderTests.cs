using Sweep.Jobs.Engine.Data;
using TorchSharp;

namespace Sweep.Jobs.Tests;

public sealed class CifarLoaderTests : IDisposable
{
    private const int Pixels = 3 * 32 * 32;
    private readonly string _root = Directory.CreateTempSubdirectory("sweep-cifar-").FullName;

    /// <summary>Record r of a split: pixel p holds (7·r + p) mod 256, so every record and position is distinguishable.</summary>
    private static byte Pixel(int record, int position) => (byte)((7 * record + position) % 256);

    private static void WriteRecords(string path, int first, int count, Func<int, byte[]> labelBytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        for (var r = first; r < first + count; r++)
        {
            file.Write(labelBytes(r));
            var pixels = new byte[Pixels];
            for (var p = 0; p < Pixels; p++)
            {
                pixels[p] = Pixel(r, p);
            }

            file.Write(pixels);
        }
    }

    /// <summary>20 train records over five batch files (4 each) and 10 test records; label of record r is r mod 10.</summary>
    private static string WriteCifar10(string folder)
    {
        for (var i = 0; i < 5; i++)
        {
            WriteRecords(Path.Combine(folder, $"data_batch_{i + 1}.bin"), 4 * i, 4, r => [(byte)(r % 10)]);
        }

        WriteRecords(Path.Combine(folder, "test_batch.bin"), 0, 10, r => [(byte)((r + 3) % 10)]);
        return folder;
    }

    /// <summary>CIFAR-100 in the archive's cifar-100-binary/ subfolder: coarse label r mod 20, fine label (13·r + 5) mod 100.</summary>
    private static string WriteCifar100(string folder)
    {
        WriteRecords(Path.Combine(folder, "cifar-100-binary", "train.bin"), 0, 20, r => [(byte)(r % 20), (byte)((13 * r + 5) % 100)]);
        WriteRecords(Path.Combine(folder, "cifar-100-binary", "test.bin"), 0, 10, r => [(byte)(r % 20), (byte)((13 * r + 50) % 100)]);
        return folder;
    }

    [Fact]
    public void Cifar10_reads_all_batches_in_order_with_imagenet_normalization()
    {
        var folder = WriteCifar10(Path.Combine(_root, "c10"));

        using var data = CifarLoader.Load("cifar10", folder);

        Assert.Equal([20L, 3L, 32L, 32L], data.Train.Inputs.shape);
        Assert.Equal([10L, 3L, 32L, 32L], data.Test.Inputs.shape);
        Assert.Equal(torch.ScalarType.Float32, data.Train.Inputs.dtype);
        Assert.Equal(torch.ScalarType.Int64, data.Train.Labels.dtype);
        Assert.Equal(Enumerable.Range(0, 20).Select(r => (long)(r % 10)), data.Train.Labels.data<long>().ToArray());
        Assert.Equal(Enumerable.Range(0, 10).Select(r => (long)((r + 3) % 10)), data.Test.Labels.data<long>().ToArray());

        // Record 13 (data_batch_4, second record), channel G (plane 1), row 5, column 9.
        var position = 1 * 1024 + 5 * 32 + 9;
        var expected = (Pixel(13, position) / 255.0 - 0.456) / 0.224;
        Assert.Equal(expected, data.Train.Inputs[13, 1, 5, 9].item<float>(), 5);

        // Blue plane of the last test record, last pixel.
        var last = 2 * 1024 + 31 * 32 + 31;
        Assert.Equal((Pixel(9, last) / 255.0 - 0.406) / 0.225, data.Test.Inputs[9, 2, 31, 31].item<float>(), 5);
        Assert.Equal(64, data.Sha256.Length);
    }

    [Fact]
    public void Cifar100_uses_the_fine_label_and_finds_the_archive_subfolder()
    {
        var folder = WriteCifar100(Path.Combine(_root, "c100"));

        using var data = CifarLoader.Load("cifar100", folder);

        Assert.Equal([20L, 3L, 32L, 32L], data.Train.Inputs.shape);
        Assert.Equal([10L, 3L, 32L, 32L], data.Test.Inputs.shape);
        Assert.Equal(Enumerable.Range(0, 20).Select(r => (long)((13 * r + 5) % 100)), data.Train.Labels.data<long>().ToArray());
        Assert.Equal(Enumerable.Range(0, 10).Select(r => (long)((13 * r + 50) % 100)), data.Test.Labels.data<long>().ToArray());
        Assert.Equal((Pixel(7, 0) / 255.0 - 0.485) / 0.229, data.Train.Inputs[7, 0, 0, 0].item<float>(), 5);
        Assert.Equal(64, data.Sha256.Length);
    }

    [Fact]
    public void The_hash_covers_the_file_bytes()
    {
        var a = WriteCifar10(Path.Combine(_root, "a"));
        var b = WriteCifar10(Path.Combine(_root, "b"));
        var c = WriteCifar10(Path.Combine(_root, "c"));
        var bytes = File.ReadAllBytes(Path.Combine(c, "test_batch.bin"));
        bytes[^1] ^= 1;
        File.WriteAllBytes(Path.Combine(c, "test_batch.bin"), bytes);

        using var da = CifarLoader.Load("cifar10", a);
        using var db = CifarLoader.Load("cifar10", b);
        using var dc = CifarLoader.Load("cifar10", c);

        Assert.Equal(da.Sha256, db.Sha256);
        Assert.NotEqual(da.Sha256, dc.Sha256);
    }

    [Fact]
    public void A_missing_file_is_named_with_where_to_put_it()
    {
        var folder = WriteCifar10(Path.Combine(_root, "partial"));
        File.Delete(Path.Combine(folder, "data_batch_3.bin"));

        var ex = Assert.Throws<FileNotFoundException>(() => CifarLoader.Load("cifar10", folder));

        Assert.Contains("data_batch_3.bin", ex.Message);
        Assert.Contains(folder, ex.Message);
        Assert.Contains("cifar-10-batches-bin", ex.Message);

        var empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;
        var ex100 = Assert.Throws<FileNotFoundException>(() => CifarLoader.Load("cifar100", empty));
        Assert.Contains("train.bin", ex100.Message);
        Assert.Contains(empty, ex100.Message);
    }

    [Fact]
    public void A_truncated_file_or_an_out_of_range_label_is_rejected()
    {
        var folder = WriteCifar10(Path.Combine(_root, "bad"));
        var path = Path.Combine(folder, "test_batch.bin");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^1]);
        Assert.Throws<InvalidDataException>(() => CifarLoader.Load("cifar10", folder));

        WriteRecords(path, 0, 2, _ => [10]);
        Assert.Throws<InvalidDataException>(() => CifarLoader.Load("cifar10", folder));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
