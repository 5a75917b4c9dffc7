using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Sweep.Jobs.Tests;

/// <summary>A real HTTP server on 127.0.0.1 serving fixed bytes per path (404 otherwise) and counting requests.</summary>
internal sealed class LocalHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private readonly Task _loop;
    private readonly int _port;

    public LocalHttpServer()
    {
        for (var attempt = 0; ; attempt++)
        {
            _port = FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public Uri Url(string path) => new($"http://127.0.0.1:{_port}{path}");

    public void Serve(string path, byte[] content) => _files[path] = content;

    public int Requests(string path) => _requests.GetValueOrDefault(path);

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Respond(context));
        }
    }

    private void Respond(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        _requests.AddOrUpdate(path, 1, (_, n) => n + 1);
        try
        {
            if (_files.TryGetValue(path, out var content))
            {
                context.Response.StatusCode = 200;
                context.Response.ContentLength64 = content.Length;
                context.Response.OutputStream.Write(content);
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away.
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
