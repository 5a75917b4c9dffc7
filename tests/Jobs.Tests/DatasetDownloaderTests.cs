using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Sweep.Jobs.Engine.Data;

namespace Sweep.Jobs.Tests;

/// <summary>
/// The downloader against a real HTTP server on 127.0.0.1 serving generated files: never the internet. The real
/// manifest pins the real hashes, so these tests inject their own manifest into the core.
/// </summary>
public sealed class DatasetDownloaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sweep-download-").FullName;
    private readonly LocalHttpServer _server = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    // The CIFAR archives publish only MD5, so the downloader verifies MD5 and its tests must compute it.
#pragma warning disable CA5351
    private static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
#pragma warning restore CA5351

    private static string[] Leftovers(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".part", StringComparison.Ordinal) || Path.GetFileName(p).StartsWith(".extract-", StringComparison.Ordinal))];

    private Task Ensure(string target, IReadOnlyList<RemoteFile> manifest, Func<RemoteFile, bool>? isPresent = null, string? subfolder = null) =>
        DatasetDownloader.EnsureAvailableAsync(
            "test-set", target, manifest, isPresent ?? (_ => false), _http, CancellationToken.None, subfolder, TextWriter.Null);

    /// <summary>A CIFAR-style .tar.gz: each entry's name and content.</summary>
    private static byte[] TarGz(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Gnu))
        {
            foreach (var (name, content) in entries)
            {
                tar.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
            }
        }

        return buffer.ToArray();
    }

    [Fact]
    public async Task Good_download_lands_with_the_right_bytes_and_no_part_files()
    {
        var images = Bytes(300_000, 1);
        var labels = Bytes(1_000, 2);
        _server.Serve("/a/images.gz", images);
        _server.Serve("/a/labels.gz", labels);
        var target = Path.Combine(_root, "set");
        RemoteFile[] manifest =
        [
            new("images.gz", [_server.Url("/a/images.gz")], Sha256(images), Md5(images), IsArchive: false),
            new("labels.gz", [_server.Url("/a/labels.gz")], Sha256(labels), null, IsArchive: false),
        ];

        await Ensure(target, manifest);

        Assert.Equal(images, File.ReadAllBytes(Path.Combine(target, "images.gz")));
        Assert.Equal(labels, File.ReadAllBytes(Path.Combine(target, "labels.gz")));
        Assert.Empty(Leftovers(target));
        Assert.Equal(1, _server.Requests("/a/images.gz"));
    }

    [Fact]
    public async Task Checksum_mismatch_on_the_first_url_falls_back_to_the_second()
    {
        var good = Bytes(50_000, 3);
        _server.Serve("/mirror1/f.gz", Bytes(50_000, 4));
        _server.Serve("/mirror2/f.gz", good);
        var target = Path.Combine(_root, "set");
        RemoteFile[] manifest = [new("f.gz", [_server.Url("/mirror1/f.gz"), _server.Url("/mirror2/f.gz")], Sha256(good), Md5(good), false)];

        await Ensure(target, manifest);

        Assert.Equal(good, File.ReadAllBytes(Path.Combine(target, "f.gz")));
        Assert.Equal(1, _server.Requests("/mirror1/f.gz"));
        Assert.Equal(1, _server.Requests("/mirror2/f.gz"));
        Assert.Empty(Leftovers(target));
    }

    [Fact]
    public async Task Md5_mismatch_is_caught_when_both_checksums_are_pinned()
    {
        var good = Bytes(10_000, 5);
        _server.Serve("/f.gz", good);
        var target = Path.Combine(_root, "set");
        RemoteFile[] manifest = [new("f.gz", [_server.Url("/f.gz")], Sha256(good), new string('0', 32), false)];

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => Ensure(target, manifest));

        Assert.Contains("MD5 mismatch", error.Message);
        Assert.False(File.Exists(Path.Combine(target, "f.gz")));
        Assert.Empty(Leftovers(target));
    }

    [Fact]
    public async Task All_urls_failing_gives_a_message_naming_file_folder_checksum_and_urls()
    {
        var content = Bytes(1_000, 6);
        var refused = new Uri($"http://127.0.0.1:{LocalHttpServer.FreePort()}/train-images.gz");
        var notFound = _server.Url("/missing/train-images.gz");
        var target = Path.Combine(_root, "set");
        RemoteFile[] manifest = [new("train-images.gz", [refused, notFound], Sha256(content), Md5(content), false)];

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => Ensure(target, manifest));

        Assert.Contains("'test-set'", error.Message);
        Assert.Contains("train-images.gz", error.Message);
        Assert.Contains(target, error.Message);
        Assert.Contains("SHA-256 " + Sha256(content), error.Message);
        Assert.Contains(refused.ToString(), error.Message);
        Assert.Contains(notFound.ToString(), error.Message);
        Assert.Contains("404", error.Message);
        Assert.Equal(Path.Combine(target, "train-images.gz"), error.FileName);
        Assert.Empty(Directory.GetFiles(target));
    }

    [Fact]
    public async Task Offline_message_for_an_md5_only_archive_names_the_subfolder_and_the_md5()
    {
        var target = Path.Combine(_root, "set");
        RemoteFile[] manifest = [new("cifar-10-binary.tar.gz", [_server.Url("/nothing.tar.gz")], null, "c32a1d4ab5d03f1284b67883e8d87530", true)];

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => Ensure(target, manifest, subfolder: "cifar-10-batches-bin"));

        Assert.Contains("cifar-10-batches-bin/", error.Message);
        Assert.Contains("cifar-10-binary.tar.gz", error.Message);
        Assert.Contains("MD5 c32a1d4ab5d03f1284b67883e8d87530 (MD5 as published by the dataset's authors)", error.Message);
    }

    [Fact]
    public async Task Present_files_are_not_fetched()
    {
        var wanted = Bytes(2_000, 7);
        _server.Serve("/present.gz", Bytes(10, 8));
        _server.Serve("/wanted.gz", wanted);
        var target = Path.Combine(_root, "set");
        RemoteFile[] manifest =
        [
            new("present.gz", [_server.Url("/present.gz")], new string('0', 64), null, false),
            new("wanted.gz", [_server.Url("/wanted.gz")], Sha256(wanted), null, false),
        ];

        await Ensure(target, manifest, file => file.Name == "present.gz");

        Assert.Equal(0, _server.Requests("/present.gz"));
        Assert.Equal(1, _server.Requests("/wanted.gz"));
        Assert.False(File.Exists(Path.Combine(target, "present.gz")));
    }

    [Fact]
    public async Task Public_api_does_not_touch_the_network_when_every_file_is_present_in_a_candidate_folder()
    {
        // MNIST: a mix of gz and raw names in the configured folder and in its mnist/ subfolder.
        var mnist = Path.Combine(_root, "mnist-dir");
        Directory.CreateDirectory(Path.Combine(mnist, "mnist"));
        File.WriteAllBytes(Path.Combine(mnist, DatasetFiles.TrainImages + ".gz"), [1]);
        File.WriteAllBytes(Path.Combine(mnist, DatasetFiles.TrainLabels), [1]);
        File.WriteAllBytes(Path.Combine(mnist, "mnist", DatasetFiles.TestImages), [1]);
        File.WriteAllBytes(Path.Combine(mnist, "mnist", DatasetFiles.TestLabels + ".gz"), [1]);

        // CIFAR-10: some batches flat, the rest in the archive's subfolder.
        var cifar = Path.Combine(_root, "cifar-dir");
        Directory.CreateDirectory(Path.Combine(cifar, CifarLoader.Cifar10Subfolder));
        foreach (var (name, i) in CifarLoader.Cifar10TrainFiles.Append(CifarLoader.Cifar10TestFile).Select((n, i) => (n, i)))
        {
            File.WriteAllBytes(i % 2 == 0 ? Path.Combine(cifar, name) : Path.Combine(cifar, CifarLoader.Cifar10Subfolder, name), [1]);
        }

        var handler = new CountingHandler();
        using var http = new HttpClient(handler);

        await DatasetDownloader.EnsureAvailableAsync("mnist", mnist, http, CancellationToken.None);
        await DatasetDownloader.EnsureAvailableAsync("cifar10", cifar, http, CancellationToken.None);

        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public void Manifest_lists_the_pinned_files()
    {
        var mnist = DatasetManifests.Manifest("mnist");
        Assert.Equal(
            ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"],
            mnist.Select(f => f.Name));
        Assert.Equal("https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz", mnist[0].Urls[0].ToString());
        Assert.Equal("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", mnist[0].Sha256);
        Assert.Equal("f68b3c2dcbeaaa9fbdd348bbdeb94873", mnist[0].Md5);
        Assert.All(DatasetManifests.Manifest("fashion-mnist"), f => Assert.Equal(2, f.Urls.Count));
        var cifar100 = Assert.Single(DatasetManifests.Manifest("cifar100"));
        Assert.True(cifar100.IsArchive);
        Assert.Null(cifar100.Sha256);
        Assert.Equal("03b5dce01913d631647c71ecec9e9cb8", cifar100.Md5);
        Assert.Throws<ArgumentException>(() => DatasetManifests.Manifest("imagenet"));
    }

    [Fact]
    public async Task Cifar_style_archive_is_verified_and_unpacked_into_its_subfolder()
    {
        var batch = Bytes(3073 * 3, 9);
        var test = Bytes(3073 * 2, 10);
        var archive = TarGz(("cifar-10-batches-bin/data_batch_1.bin", batch), ("./cifar-10-batches-bin/test_batch.bin", test));
        _server.Serve("/cifar-10-binary.tar.gz", archive);
        var target = Path.Combine(_root, "cifar10");
        RemoteFile[] manifest = [new("cifar-10-binary.tar.gz", [_server.Url("/cifar-10-binary.tar.gz")], null, Md5(archive), true)];

        await Ensure(target, manifest, subfolder: "cifar-10-batches-bin");

        Assert.Equal(batch, File.ReadAllBytes(Path.Combine(target, "cifar-10-batches-bin", "data_batch_1.bin")));
        Assert.Equal(test, File.ReadAllBytes(Path.Combine(target, "cifar-10-batches-bin", "test_batch.bin")));
        Assert.False(File.Exists(Path.Combine(target, "cifar-10-binary.tar.gz")));
        Assert.Empty(Leftovers(target));
        Assert.Equal([Path.Combine(target, "cifar-10-batches-bin")], Directory.GetFileSystemEntries(target));
    }

    [Fact]
    public async Task Archive_put_in_the_target_folder_by_hand_is_unpacked_without_downloading()
    {
        var content = Bytes(100, 11);
        var target = Path.Combine(_root, "cifar100");
        Directory.CreateDirectory(target);
        File.WriteAllBytes(Path.Combine(target, "cifar-100-binary.tar.gz"), TarGz(("cifar-100-binary/train.bin", content)));
        RemoteFile[] manifest = [new("cifar-100-binary.tar.gz", [_server.Url("/cifar-100-binary.tar.gz")], null, new string('0', 32), true)];

        await Ensure(target, manifest);

        Assert.Equal(content, File.ReadAllBytes(Path.Combine(target, "cifar-100-binary", "train.bin")));
        Assert.True(File.Exists(Path.Combine(target, "cifar-100-binary.tar.gz")));
        Assert.Equal(0, _server.Requests("/cifar-100-binary.tar.gz"));
    }

    [Fact]
    public async Task Existing_subfolder_is_kept_and_only_completed()
    {
        var mine = Bytes(100, 12);
        var theirs = Bytes(100, 13);
        var archive = TarGz(("sub/a.bin", mine), ("sub/b.bin", mine));
        _server.Serve("/x.tar.gz", archive);
        var target = Path.Combine(_root, "set");
        Directory.CreateDirectory(Path.Combine(target, "sub"));
        File.WriteAllBytes(Path.Combine(target, "sub", "a.bin"), theirs);
        RemoteFile[] manifest = [new("x.tar.gz", [_server.Url("/x.tar.gz")], Sha256(archive), null, true)];

        await Ensure(target, manifest);

        Assert.Equal(theirs, File.ReadAllBytes(Path.Combine(target, "sub", "a.bin")));
        Assert.Equal(mine, File.ReadAllBytes(Path.Combine(target, "sub", "b.bin")));
        Assert.Empty(Leftovers(target));
    }

    [Theory]
    [InlineData("../evil.bin")]
    [InlineData("cifar-10-batches-bin/../../evil.bin")]
    [InlineData("/tmp/sweep-evil.bin")]
    public async Task Tar_entry_escaping_the_folder_is_rejected(string name)
    {
        var archive = TarGz(("cifar-10-batches-bin/ok.bin", [1, 2, 3]), (name, [6, 6, 6]));
        _server.Serve("/evil.tar.gz", archive);
        var target = Path.Combine(_root, "a", "b");
        RemoteFile[] manifest = [new("evil.tar.gz", [_server.Url("/evil.tar.gz")], Sha256(archive), null, true)];

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Ensure(target, manifest));

        Assert.Contains(name, error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(target));
        Assert.False(File.Exists(Path.Combine(_root, "a", "evil.bin")));
        Assert.False(File.Exists(Path.Combine(_root, "evil.bin")));
    }

    [Fact]
    public async Task Concurrent_downloads_of_the_same_dataset_do_not_corrupt_each_other()
    {
        var file = Bytes(500_000, 14);
        var batch = Bytes(3073, 15);
        var archive = TarGz(("sub/data.bin", batch));
        _server.Serve("/f.gz", file);
        _server.Serve("/x.tar.gz", archive);
        var target = Path.Combine(_root, "set");
        RemoteFile[] manifest =
        [
            new("f.gz", [_server.Url("/f.gz")], Sha256(file), null, false),
            new("x.tar.gz", [_server.Url("/x.tar.gz")], null, Md5(archive), true),
        ];

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Ensure(target, manifest))));

        Assert.Equal(file, File.ReadAllBytes(Path.Combine(target, "f.gz")));
        Assert.Equal(batch, File.ReadAllBytes(Path.Combine(target, "sub", "data.bin")));
        Assert.Empty(Leftovers(target));
    }
}
