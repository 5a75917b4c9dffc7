using System.Formats.Tar;
using System.IO.Compression;

namespace Sweep.Jobs.Engine.Data;

/// <summary>
/// Unpacks a dataset's .tar.gz safely: into a private staging folder, refusing absolute and climbing entry names,
/// creating only folders and regular files, then moving the top-level entries into place without overwriting what
/// another process (or the user) already put there.
/// </summary>
internal static class TarExtraction
{
    /// <summary>Unpacks a .tar.gz into a private folder inside <paramref name="targetFolder"/>, then moves its top-level entries into place.</summary>
    internal static async Task ExtractAsync(string archive, string targetFolder, CancellationToken ct)
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
}
