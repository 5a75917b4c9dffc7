namespace Sweep.Jobs.Engine.Data;

/// <summary>
/// What each dataset is downloaded as (addresses and pinned checksums), what its archives must yield, and when its
/// files count as present (in gz or raw form, in any candidate folder).
/// </summary>
public static class DatasetManifests
{
    /// <summary>The files each CIFAR archive must yield (CifarLoader reads these) and the subfolder they unpack into.</summary>
    internal static readonly IReadOnlyDictionary<string, (string Subfolder, IReadOnlyList<string> Files)> CifarContents =
        new Dictionary<string, (string, IReadOnlyList<string>)>
        {
            ["cifar10"] = (CifarLoader.Cifar10Subfolder, [.. CifarLoader.Cifar10TrainFiles, CifarLoader.Cifar10TestFile]),
            ["cifar100"] = (CifarLoader.Cifar100Subfolder, [CifarLoader.Cifar100TrainFile, CifarLoader.Cifar100TestFile]),
        };

    /// <summary>The IDX files of MNIST and Fashion-MNIST, in manifest order. Declared before Manifests, which uses it.</summary>
    private static readonly string[] Names =
        [DatasetFiles.TrainImages, DatasetFiles.TrainLabels, DatasetFiles.TestImages, DatasetFiles.TestLabels];

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<RemoteFile>> Manifests = BuildManifests();

    /// <summary>The files <paramref name="dataset"/> is downloaded as (fashion-mnist, mnist, cifar10, cifar100).</summary>
    public static IReadOnlyList<RemoteFile> Manifest(string dataset)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataset);
        return Manifests.TryGetValue(dataset.ToLowerInvariant(), out var files)
            ? files
            : throw new ArgumentException(
                $"No download is known for dataset '{dataset}' (known: {string.Join(", ", Manifests.Keys)}).", nameof(dataset));
    }

    /// <summary>IDX files count in gz or raw form; CIFAR files in the folder or its archive subfolder, in any candidate folder.</summary>
    internal static bool IsPresent(string dataset, IReadOnlyList<string> folders, RemoteFile file)
    {
        if (file.IsArchive && CifarContents.TryGetValue(dataset, out var contents))
        {
            return contents.Files.All(name => folders.Any(folder =>
                File.Exists(Path.Combine(folder, name)) || File.Exists(Path.Combine(folder, contents.Subfolder, name))));
        }

        var raw = StripGz(file.Name);
        return folders.Any(folder => File.Exists(Path.Combine(folder, raw)) || File.Exists(Path.Combine(folder, raw + ".gz")));
    }

    private static Dictionary<string, IReadOnlyList<RemoteFile>> BuildManifests()
    {
        static IReadOnlyList<RemoteFile> Idx(string[] bases, (string Sha256, string Md5)[] sums) =>
            [.. Enumerable.Range(0, 4).Select(i => new RemoteFile(
                Names[i] + ".gz",
                [.. bases.Select(b => new Uri(b + Names[i] + ".gz"))],
                sums[i].Sha256,
                sums[i].Md5,
                IsArchive: false))];

        return new Dictionary<string, IReadOnlyList<RemoteFile>>
        {
            ["mnist"] = Idx(
                ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"],
                [
                    ("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
                    ("3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", "d53e105ee54ea40749a09fcbcd1e9432"),
                    ("8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", "9fb629c4189551a2d022fa330f9573f3"),
                    ("f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", "ec29112dd5afa0611ce80d1b7f02629c"),
                ]),

            // Debian's dataset-fashion-mnist installs recompressed files with other hashes under /usr/share/datasets;
            // that is fine: present files are never re-verified (the loader hashes the decoded content instead).
            ["fashion-mnist"] = Idx(
                [
                    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
                ],
                [
                    ("3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                    ("a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845", "25c81989df183df01b3e8a0aad5dffbe"),
                    ("346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073", "bef4ecab320f06d8554ea6380940ec79"),
                    ("67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5", "bb300cfdad3c16e7a12a480ee83cd310"),
                ]),

            // The CIFAR authors publish MD5 only; no SHA-256 is pinned for these archives.
            ["cifar10"] =
            [
                new RemoteFile("cifar-10-binary.tar.gz", [new Uri("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")],
                    Sha256: null, Md5: "c32a1d4ab5d03f1284b67883e8d87530", IsArchive: true),
            ],
            ["cifar100"] =
            [
                new RemoteFile("cifar-100-binary.tar.gz", [new Uri("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz")],
                    Sha256: null, Md5: "03b5dce01913d631647c71ecec9e9cb8", IsArchive: true),
            ],
        };
    }

    internal static string StripGz(string name) => name.EndsWith(".gz", StringComparison.Ordinal) ? name[..^3] : name;
}
