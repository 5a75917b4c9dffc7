using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Sweep.Jobs.Engine.Data;

/// <summary>One file a dataset is downloaded as: its name, the addresses to try in order, and its pinned checksums.</summary>
/// <param name="Name">The file's name as served (e.g. train-images-idx3-ubyte.gz, cifar-10-binary.tar.gz).</param>
/// <param name="Urls">Where to get it, tried in order.</param>
/// <param name="Sha256">SHA-256 of the file as served, lower-case hex; null when none is pinned.</param>
/// <param name="Md5">MD5 of the file as served, lower-case hex; null when none is published.</param>
/// <param name="IsArchive">A .tar.gz that is unpacked into the target folder (CIFAR) rather than kept as is.</param>
public sealed record RemoteFile(string Name, IReadOnlyList<Uri> Urls, string? Sha256, string? Md5, bool IsArchive);

/// <summary>
/// Downloads a dataset on first use into Sweep's cache (or the configured folder). Every file is written to a unique
/// temporary file in the target folder, verified against its pinned checksums and only then renamed into place, so a
/// reader never sees a partial file and two processes downloading at once do not corrupt each other. Files that are
/// already present in any candidate folder (<see cref="DatasetFiles.CandidateFolders"/>) are neither fetched nor
/// re-verified. Progress goes to stderr: the trainer's stdout carries JSON events only.
/// </summary>
public static class DatasetDownloader
{
    private static readonly Lazy<HttpClient> SharedHttp = new(() =>
    {
        var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Sweep", "1.0"));
        return http;
    });

    /// <summary>The files each CIFAR archive must yield (CifarLoader reads these) and the subfolder they unpack into.</summary>
    private static readonly IReadOnlyDictionary<string, (string Subfolder, IReadOnlyList<string> Files)> CifarContents =
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

    /// <summary>
    /// Makes sure every file of <paramref name="dataset"/> is on disk, downloading what is missing into
    /// <paramref name="dataDir"/> (or the cache, <see cref="DatasetFiles.DefaultCacheRoot"/>/dataset). Returns
    /// without touching the network when everything is already present.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing and no address could deliver it intact.</exception>
    public static Task EnsureAvailableAsync(string dataset, string? dataDir, HttpClient http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var manifest = Manifest(dataset);
        var key = dataset.ToLowerInvariant();
        var folders = DatasetFiles.CandidateFolders(dataset, dataDir);
        var target = string.IsNullOrEmpty(dataDir) ? Path.Combine(DatasetFiles.DefaultCacheRoot, dataset) : dataDir;
        var subfolder = CifarContents.TryGetValue(key, out var contents) ? contents.Subfolder : null;
        return EnsureAvailableAsync(dataset, target, manifest, file => IsPresent(key, folders, file), http, ct, subfolder);
    }

    /// <summary>
    /// <see cref="EnsureAvailableAsync(string, string?, HttpClient, CancellationToken)"/> for synchronous callers
    /// (the trainer), with a shared client that gives up on a download after 10 minutes.
    /// </summary>
    public static void EnsureAvailable(string dataset, string? dataDir) =>
        EnsureAvailableAsync(dataset, dataDir, SharedHttp.Value, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// The core, with the manifest and the presence test injected (tests serve generated files with their own
    /// checksums). Missing files are fetched into <paramref name="targetFolder"/>; archives are unpacked there. An
    /// archive already sitting in the target folder (put there by hand) is unpacked without downloading.
    /// </summary>
    internal static async Task EnsureAvailableAsync(
        string dataset,
        string targetFolder,
        IReadOnlyList<RemoteFile> manifest,
        Func<RemoteFile, bool> isPresent,
        HttpClient http,
        CancellationToken ct,
        string? archiveSubfolder = null,
        TextWriter? log = null)
    {
        log ??= Console.Error;
        var missing = manifest.Where(file => !isPresent(file)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        Directory.CreateDirectory(targetFolder);
        foreach (var file in missing)
        {
            // Another process may have finished this file while we fetched the previous one.
            if (isPresent(file))
            {
                continue;
            }

            var finalPath = Path.Combine(targetFolder, file.Name);
            if (file.IsArchive && File.Exists(finalPath))
            {
                log.WriteLine($"Dataset '{dataset}': unpacking {finalPath}");
                await ExtractArchiveAsync(finalPath, targetFolder, ct).ConfigureAwait(false);
                continue;
            }

            var downloaded = await DownloadAsync(dataset, targetFolder, file, http, ct, archiveSubfolder, log).ConfigureAwait(false);
            if (!file.IsArchive)
            {
                File.Move(downloaded, finalPath, overwrite: true);
                continue;
            }

            // The verified archive is unpacked straight from its temporary file and then dropped: only the unpacked
            // subfolder is kept, and no process ever opens an archive another process may be replacing.
            try
            {
                log.WriteLine($"Dataset '{dataset}': unpacking {file.Name} into {targetFolder}");
                await ExtractArchiveAsync(downloaded, targetFolder, ct).ConfigureAwait(false);
            }
            finally
            {
                TryDeleteFile(downloaded);
            }
        }
    }

    /// <summary>Fetches <paramref name="file"/> from its first address that delivers it intact; returns the verified temporary file.</summary>
    private static async Task<string> DownloadAsync(
        string dataset, string targetFolder, RemoteFile file, HttpClient http, CancellationToken ct, string? archiveSubfolder, TextWriter log)
    {
        Exception? lastError = null;
        foreach (var url in file.Urls)
        {
            var temp = Path.Combine(targetFolder, $"{file.Name}.{Guid.NewGuid():N}.part");
            try
            {
                log.WriteLine($"Dataset '{dataset}': downloading {file.Name} from {url}");
                await FetchAsync(url, temp, http, log, ct).ConfigureAwait(false);
                Verify(temp, file);
                log.WriteLine($"Dataset '{dataset}': {file.Name} verified ({new FileInfo(temp).Length:N0} bytes)");
                return temp;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidDataException
                                          || (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                TryDeleteFile(temp);
                lastError = ex is OperationCanceledException ? new TimeoutException($"Timed out after {http.Timeout}.", ex) : ex;
                log.WriteLine($"Dataset '{dataset}': {url} failed: {lastError.Message}");
            }
            catch
            {
                TryDeleteFile(temp);
                throw;
            }
        }

        throw new FileNotFoundException(OfflineMessage(dataset, targetFolder, file, archiveSubfolder, lastError), Path.Combine(targetFolder, file.Name));
    }

    private static async Task FetchAsync(Uri url, string temp, HttpClient http, TextWriter log, CancellationToken ct)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        var length = response.Content.Headers.ContentLength;
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        long done = 0;
        var nextReport = ReportStep(length);
        int read;
        while ((read = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            done += read;
            if (done >= nextReport)
            {
                log.WriteLine(length is > 0
                    ? $"  {done * 100 / length.Value}% of {length.Value / 1e6:F1} MB"
                    : $"  {done / 1e6:F1} MB");
                nextReport += ReportStep(length);
            }
        }

        if (length is { } expected && done != expected)
        {
            throw new IOException($"Connection closed after {done} of {expected} bytes.");
        }
    }

    /// <summary>Report every 10% when the size is known, else every 16 MB.</summary>
    private static long ReportStep(long? length) => length is > 0 ? Math.Max(1, length.Value / 10) : 16L << 20;

    private static void Verify(string path, RemoteFile file)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                sha256.AppendData(buffer, 0, read);
                md5.AppendData(buffer, 0, read);
            }
        }

        Check("SHA-256", file.Sha256, sha256.GetHashAndReset());
        Check("MD5", file.Md5, md5.GetHashAndReset());

        static void Check(string algorithm, string? expected, byte[] actual)
        {
            var hex = Convert.ToHexStringLower(actual);
            if (expected is not null && !string.Equals(expected, hex, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"{algorithm} mismatch: expected {expected}, got {hex}.");
            }
        }
    }

    private static string OfflineMessage(string dataset, string targetFolder, RemoteFile file, string? archiveSubfolder, Exception? lastError)
    {
        var what = !file.IsArchive
            ? $"{file.Name} (or its unpacked {StripGz(file.Name)})"
            : archiveSubfolder is not null
                ? $"the unpacked {archiveSubfolder}/ folder or the archive {file.Name}"
                : $"the archive {file.Name}";
        var checksum = file.Sha256 is not null
            ? $"SHA-256 {file.Sha256}"
            : $"MD5 {file.Md5 ?? "(none pinned)"} (MD5 as published by the dataset's authors)";
        return $"Dataset '{dataset}': {file.Name} is missing and could not be downloaded. " +
               $"Put {what} in {targetFolder}. Expected {checksum}. " +
               $"Tried: {string.Join(", ", file.Urls)}. Last error: {lastError?.Message ?? "no address to try"}";
    }

    private static string StripGz(string name) => name.EndsWith(".gz", StringComparison.Ordinal) ? name[..^3] : name;

    /// <summary>Unpacks a .tar.gz into a private folder inside <paramref name="targetFolder"/>, then moves its top-level entries into place.</summary>
    internal static async Task ExtractArchiveAsync(string archive, string targetFolder, CancellationToken ct)
    {
        var staging = Directory.CreateDirectory(Path.Combine(targetFolder, $".extract-{Guid.NewGuid():N}")).FullName;
        try
        {
            await using (var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
            await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            await using (var reader = new TarReader(gzip))
            {
                while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
                {
                    var path = SafeEntryPath(staging, entry.Name);
                    if (path is null)
                    {
                        continue;
                    }

                    switch (entry.EntryType)
                    {
                        case TarEntryType.Directory:
                            Directory.CreateDirectory(path);
                            break;
                        case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                            await using (var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                            {
                                if (entry.DataStream is { } data)
                                {
                                    await data.CopyToAsync(output, ct).ConfigureAwait(false);
                                }
                            }

                            break;
                        default:
                            // Links, devices and metadata entries are never needed for a dataset and are not created.
                            break;
                    }
                }
            }

            foreach (var directory in Directory.GetDirectories(staging))
            {
                MoveDirectoryInto(directory, Path.Combine(targetFolder, Path.GetFileName(directory)));
            }

            foreach (var file in Directory.GetFiles(staging))
            {
                MoveFileInto(file, Path.Combine(targetFolder, Path.GetFileName(file)));
            }
        }
        finally
        {
            try
            {
                Directory.Delete(staging, recursive: true);
            }
            catch (IOException)
            {
                // Leftovers in a dot-folder are harmless; the next run uses a fresh one.
            }
        }
    }

    /// <summary>
    /// Where an entry goes under <paramref name="root"/>; null for the archive's root itself. Throws for absolute
    /// names and names that climb out with "..".
    /// </summary>
    private static string? SafeEntryPath(string root, string name)
    {
        var unsafeName = name.Length == 0 || name[0] == '/' || name[0] == '\\' || Path.IsPathRooted(name);
        var segments = name.Split('/', '\\').Where(s => s.Length > 0 && s != ".").ToArray();
        if (unsafeName || segments.Contains(".."))
        {
            throw new InvalidDataException($"Archive entry '{name}' has an absolute path or '..'; refusing to unpack it.");
        }

        if (segments.Length == 0)
        {
            return null;
        }

        var path = Path.GetFullPath(Path.Combine([root, .. segments]));
        var prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal)
            ? path
            : throw new InvalidDataException($"Archive entry '{name}' points outside the folder it unpacks into; refusing to unpack it.");
    }

    /// <summary>
    /// Renames a whole unpacked folder into place (atomic). When the destination already exists — another process
    /// won, or a user left an incomplete copy — theirs is kept and only what it lacks is moved in.
    /// </summary>
    private static void MoveDirectoryInto(string source, string destination)
    {
        if (!Directory.Exists(destination))
        {
            try
            {
                Directory.Move(source, destination);
                return;
            }
            catch (IOException) when (Directory.Exists(destination))
            {
                // Lost the race: merge below.
            }
        }

        foreach (var directory in Directory.GetDirectories(source))
        {
            MoveDirectoryInto(directory, Path.Combine(destination, Path.GetFileName(directory)));
        }

        foreach (var file in Directory.GetFiles(source))
        {
            MoveFileInto(file, Path.Combine(destination, Path.GetFileName(file)));
        }
    }

    private static void MoveFileInto(string source, string destination)
    {
        try
        {
            File.Move(source, destination, overwrite: false);
        }
        catch (IOException) when (File.Exists(destination))
        {
            // Already there (another process, or the user's own copy): keep it.
        }
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>IDX files count in gz or raw form; CIFAR files in the folder or its archive subfolder, in any candidate folder.</summary>
    private static bool IsPresent(string dataset, IReadOnlyList<string> folders, RemoteFile file)
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
}
