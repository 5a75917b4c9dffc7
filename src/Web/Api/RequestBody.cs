namespace Sweep.Web.Api;

/// <summary>Reads a request body into memory, refusing to read past a limit.</summary>
public static class RequestBody
{
    /// <summary>
    /// The body's bytes, or null when it is longer than <paramref name="limit"/>. Counting here, not only in the
    /// server, makes the limit hold for chunked bodies and in hosts that do not enforce a body size (the test server).
    /// </summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }
}
