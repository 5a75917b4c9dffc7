using System.Net;

namespace Sweep.Jobs.Tests;

/// <summary>An HTTP handler that answers every request with 503 and counts them: proves a path made no request that succeeded.</summary>
internal sealed class CountingHandler : HttpMessageHandler
{
    private int _count;

    public int Count => _count;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
    }
}
