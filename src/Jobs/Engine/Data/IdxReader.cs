using System.Buffers.Binary;
using System.IO.Compression;

namespace Sweep.Jobs.Engine.Data;

/// <summary>Reads the IDX format of MNIST and Fashion-MNIST, gzip-compressed or raw.</summary>
public static class IdxReader
{
    /// <summary>Reads an IDX file of unsigned bytes: returns its dimensions and its data.</summary>
    public static (int[] Shape, byte[] Data) ReadUBytes(string path)
    {
        using var file = File.OpenRead(path);
        using var stream = IsGzip(path) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        Span<byte> header = stackalloc byte[4];
        stream.ReadExactly(header);
        if (header[0] != 0 || header[1] != 0)
        {
            throw new InvalidDataException($"{path} is not an IDX file (bad magic number).");
        }

        if (header[2] != 0x08)
        {
            throw new InvalidDataException($"{path} holds IDX type 0x{header[2]:x2}; only unsigned bytes (0x08) are supported.");
        }

        var rank = header[3];
        var shape = new int[rank];
        Span<byte> dim = stackalloc byte[4];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            stream.ReadExactly(dim);
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(dim);
            count *= shape[i];
        }

        var data = new byte[count];
        stream.ReadExactly(data);
        return (shape, data);
    }

    private static bool IsGzip(string path)
    {
        using var file = File.OpenRead(path);
        return file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
    }
}
