using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Sweep.Testing;

/// <summary>
/// A TCP proxy on a loopback port in front of PostgreSQL, for partitions: <see cref="Cut"/> resets every open
/// connection and turns each new one away at once (as a dead network path would, only faster), <see cref="Restore"/>
/// lets connections through again. The processes behind it see what a real partition shows them: broken sockets
/// and failed connects, then a database that answers again.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile bool _cut;
    private int _refused;

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Connections turned away while cut: proof that a process behind the proxy kept trying.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>A proxy in front of the server that <paramref name="connectionString"/> names.</summary>
    public static TcpProxy ForPostgres(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        return new TcpProxy(target.Host ?? "127.0.0.1", target.Port);
    }

    /// <summary><paramref name="connectionString"/> rerouted through this proxy.</summary>
    public string Route(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    /// <summary>Resets every open connection and turns new ones away until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        foreach (var socket in _open.Keys)
        {
            Reset(socket);
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_cut)
            {
                Interlocked.Increment(ref _refused);
                Reset(client);
                continue;
            }

            _ = LinkAsync(client);
        }
    }

    /// <summary>Connects to the target and copies both ways until either side closes or the proxy is cut.</summary>
    private async Task LinkAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _open[client] = 0;
        _open[server] = 0;
        try
        {
            if (_cut)
            {
                // Cut between the accept and the registration above: Cut() did not see these sockets.
                return;
            }

            await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            await using var toServer = new NetworkStream(server, ownsSocket: false);
            await using var toClient = new NetworkStream(client, ownsSocket: false);
            await Task.WhenAny(Pump(toClient, toServer), Pump(toServer, toClient));
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // A reset or a refused upstream connect ends the link; the other side sees it closed.
        }
        finally
        {
            _open.TryRemove(client, out _);
            _open.TryRemove(server, out _);
            Reset(client);
            Reset(server);
        }
    }

    private async Task Pump(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to, 81_920, _stop.Token);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Closes with RST (linger 0): the peer's next read or write fails at once, as after a network fault.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }
}
