using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sweep.Testing;

/// <summary>
/// A real Web process (Kestrel, the built Sweep.Web.dll, as `up` and the containers run it) on a free loopback port.
/// Each gets its own empty HOME, as a container or another machine would: nothing is shared through the file system.
/// </summary>
public sealed class WebProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _home;
    private readonly List<string> _output = [];

    private WebProcess(string connectionString, IReadOnlyDictionary<string, string> settings)
    {
        BaseUrl = $"http://127.0.0.1:{FreePort()}";
        _home = Directory.CreateTempSubdirectory("sweep-web-home-").FullName;
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(RepositoryPaths.Root, "src/Web"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepositoryPaths.WebDll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(BaseUrl);
        info.Environment["ConnectionStrings__Sweep"] = connectionString;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["HOME"] = _home;
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string BaseUrl { get; }

    /// <summary>Starts the process and waits until /health answers 200; on failure it is killed and the output thrown.</summary>
    /// <param name="settings">Environment variables, e.g. SWEEP_ADMIN_EMAIL or Proxy__KnownProxies__0.</param>
    public static async Task<WebProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var web = new WebProcess(connectionString, settings ?? new Dictionary<string, string>());
        try
        {
            await web.WaitHealthyAsync();
            return web;
        }
        catch
        {
            await web.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client that neither keeps cookies nor follows redirects: the test sees every Set-Cookie and Location.</summary>
    public HttpClient RawClient() =>
        new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };

    /// <summary>The last 60 lines the process printed.</summary>
    public string Output => Lines(60);

    /// <summary>SIGKILL, as a crash or an out-of-memory kill would: a request in flight stops where it is.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90) && !_process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(BaseUrl + "/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        if (_process.HasExited)
        {
            // HasExited turns true before the redirected streams reach end of file: without this wait the
            // reason the process gave (an options error, say) can still be in the pipe when the message is built.
            using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(drain.Token);
            throw new InvalidOperationException(
                $"The web process at {BaseUrl} exited with code {_process.ExitCode} before it became healthy:\n{Lines(int.MaxValue)}");
        }

        throw new InvalidOperationException($"The web process at {BaseUrl} did not become healthy:\n{Output}");
    }

    private string Lines(int last)
    {
        lock (_output)
        {
            return string.Join('\n', _output.TakeLast(last));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(patience.Token);
        }

        _process.Dispose();
        Directory.Delete(_home, recursive: true);
    }
}
