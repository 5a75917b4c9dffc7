using Sweep.Jobs.Engine.Data;
using Sweep.Testing;

namespace Sweep.Jobs.Tests;

public sealed class DatasetTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sweep-data-").FullName;

    [Fact]
    public void Gzipped_and_raw_IDX_files_read_the_same()
    {
        var gz = SyntheticIdxDataset.Create(Path.Combine(_root, "gz"), 40, 20, gzip: true, seed: 1);
        var raw = SyntheticIdxDataset.Create(Path.Combine(_root, "raw"), 40, 20, gzip: false, seed: 1);

        var (gzShape, gzData) = IdxReader.ReadUBytes(Path.Combine(gz, "train-images-idx3-ubyte.gz"));
        var (rawShape, rawData) = IdxReader.ReadUBytes(Path.Combine(raw, "train-images-idx3-ubyte"));

        Assert.Equal([40, 28, 28], gzShape);
        Assert.Equal(gzShape, rawShape);
        Assert.Equal(gzData, rawData);
    }

    [Fact]
    public void Loading_normalizes_like_the_paper_code_and_keeps_labels()
    {
        var folder = SyntheticIdxDataset.Create(Path.Combine(_root, "fashion-mnist"), 30, 10);

        using var data = MnistLikeLoader.Load("fashion-mnist", folder);

        Assert.Equal([30L, 784L], data.Train.Inputs.shape);
        Assert.Equal(10, data.Test.Count);
        Assert.InRange(data.Train.Inputs.min().item<float>(), -1f, -0.99f);
        Assert.InRange(data.Train.Inputs.max().item<float>(), 0.9f, 1f);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), data.Test.Labels.data<long>().ToArray());
        Assert.Equal(64, data.Sha256.Length);
    }

    [Fact]
    public void A_missing_file_is_named_with_where_to_put_it()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;

        var ex = Assert.Throws<FileNotFoundException>(() => MnistLikeLoader.Load("mnist", empty));

        Assert.Contains("train-images-idx3-ubyte.gz", ex.Message);
        Assert.Contains(empty, ex.Message);
    }

    [Fact]
    public void A_subset_is_fixed_by_its_seed()
    {
        var folder = SyntheticIdxDataset.Create(Path.Combine(_root, "subset"), 100, 10);
        using var data = MnistLikeLoader.Load("mnist", folder);

        using var a = MnistLikeLoader.Subset(data.Train, 20, seed: 5);
        using var b = MnistLikeLoader.Subset(data.Train, 20, seed: 5);
        using var c = MnistLikeLoader.Subset(data.Train, 20, seed: 6);

        Assert.Equal(a.Labels.data<long>().ToArray(), b.Labels.data<long>().ToArray());
        Assert.True(a.Inputs.allclose(b.Inputs, rtol: 0, atol: 0));
        Assert.False(a.Inputs.allclose(c.Inputs));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
