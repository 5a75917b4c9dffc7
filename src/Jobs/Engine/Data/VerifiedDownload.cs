using System.Security.Cryptography;

namespace Sweep.Jobs.Engine.Data;

/// <summary>
/// One file fetched from the first of its addresses that delivers it intact: streamed to a unique temporary file in
/// the target folder, its length and pinned checksums verified, and only then handed back for renaming into place.
/// </summary>
internal static class VerifiedDownload
{
    /// <summary>Fetches <paramref name="file"/> from its first address that delivers it intact; returns the verified temporary file.</summary>
    internal static async Task<string> DownloadAsync(
        string dataset, string targetFolder, RemoteFile file, HttpClient http, string? archiveSubfolder, TextWriter log, CancellationToken ct)
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
            ? $"{file.Name} (or its unpacked {DatasetManifests.StripGz(file.Name)})"
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

    internal static void TryDeleteFile(string path)
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
}
