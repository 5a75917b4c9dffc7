using System.Net.Http.Headers;

namespace Sweep.Jobs.Engine.Data;

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

    /// <summary>
    /// Makes sure every file of <paramref name="dataset"/> is on disk, downloading what is missing into
    /// <paramref name="dataDir"/> (or the cache, <see cref="DatasetFiles.DefaultCacheRoot"/>/dataset). Returns
    /// without touching the network when everything is already present.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing and no address could deliver it intact.</exception>
    public static Task EnsureAvailableAsync(string dataset, string? dataDir, HttpClient http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var manifest = DatasetManifests.Manifest(dataset);
        var key = dataset.ToLowerInvariant();
        var folders = DatasetFiles.CandidateFolders(dataset, dataDir);
        var target = string.IsNullOrEmpty(dataDir) ? Path.Combine(DatasetFiles.DefaultCacheRoot, dataset) : dataDir;
        var subfolder = DatasetManifests.CifarContents.TryGetValue(key, out var contents) ? contents.Subfolder : null;
        return EnsureAvailableAsync(dataset, target, manifest, file => DatasetManifests.IsPresent(key, folders, file), http, ct, subfolder);
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
                await TarExtraction.ExtractAsync(finalPath, targetFolder, ct).ConfigureAwait(false);
                continue;
            }

            var downloaded = await VerifiedDownload.DownloadAsync(dataset, targetFolder, file, http, archiveSubfolder, log, ct).ConfigureAwait(false);
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
                await TarExtraction.ExtractAsync(downloaded, targetFolder, ct).ConfigureAwait(false);
            }
            finally
            {
                VerifiedDownload.TryDeleteFile(downloaded);
            }
        }
    }
}
