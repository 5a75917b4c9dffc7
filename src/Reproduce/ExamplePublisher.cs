using System.IO.Compression;
using System.Text.Json.Nodes;
using Sweep.Client;

namespace Sweep.Reproduce;

/// <summary>
/// Writes the study's sweeps as sweep archives into an examples folder, each under a stable key, so that every
/// installation loads the measured study once at start as a published example.
/// </summary>
public sealed class ExamplePublisher(SweepClient client, TextWriter log)
{
    public const string KeyPrefix = "hoffer2017-f1-fashion-mnist-60k-";

    public async Task<IReadOnlyList<string>> PublishAsync(IReadOnlyDictionary<string, SweepInfo> sweeps, string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var (key, sweep) in sweeps)
        {
            var archive = await client.DownloadArchiveAsync(sweep.Id, ct);
            var path = Path.Combine(folder, $"{KeyPrefix}{key}.sweep.json.gz");
            await File.WriteAllBytesAsync(path, WithKey(archive, KeyPrefix + key), ct);
            log.WriteLine($"Example {path} ({new FileInfo(path).Length / 1024} KiB)");
            written.Add(path);
        }

        return written;
    }

    /// <summary>Sets the archive's key (the server exports ad-hoc archives without one).</summary>
    private static byte[] WithKey(byte[] gzipped, string key)
    {
        JsonNode document;
        using (var input = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress))
        {
            document = JsonNode.Parse(input) ?? throw new InvalidDataException("The archive is empty.");
        }

        document["key"] = key;
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            using var writer = new System.Text.Json.Utf8JsonWriter(gzip);
            document.WriteTo(writer);
        }

        return output.ToArray();
    }
}
