namespace Sweep.Jobs.Engine.Data;

/// <summary>One file a dataset is downloaded as: its name, the addresses to try in order, and its pinned checksums.</summary>
/// <param name="Name">The file's name as served (e.g. train-images-idx3-ubyte.gz, cifar-10-binary.tar.gz).</param>
/// <param name="Urls">Where to get it, tried in order.</param>
/// <param name="Sha256">SHA-256 of the file as served, lower-case hex; null when none is pinned.</param>
/// <param name="Md5">MD5 of the file as served, lower-case hex; null when none is published.</param>
/// <param name="IsArchive">A .tar.gz that is unpacked into the target folder (CIFAR) rather than kept as is.</param>
public sealed record RemoteFile(string Name, IReadOnlyList<Uri> Urls, string? Sha256, string? Md5, bool IsArchive);
