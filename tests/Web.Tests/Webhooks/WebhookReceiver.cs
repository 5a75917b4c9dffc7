using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sweep.Web.Tests.Webhooks;

/// <summary>
/// A real HTTP receiver: Kestrel on 127.0.0.1, port chosen by the OS. It records every POST (headers, body, when it
/// arrived) and answers <see cref="Status"/>, which a test changes to play a receiver that is down or failing.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The status the next requests get; 200 unless a test says otherwise.</summary>
    public int Status { get; set; } = StatusCodes.Status200OK;

    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook/{name}", async (HttpContext context, string name) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            // Read once: a test may change Status while a request is answered, and what is recorded must be what was sent.
            var status = receiver.Status;
            receiver.Requests.Enqueue(new Received(name, headers, body, DateTimeOffset.UtcNow, status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/');
        return receiver;
    }

    /// <summary>The URL of one named hook on this receiver, so that one receiver serves several webhooks.</summary>
    public string HookUrl(string name) => $"{Url}/hook/{name}";

    /// <summary>Waits until a request matching <paramref name="match"/> that was answered 2xx arrives.</summary>
    public async Task<Received> WaitForAsync(Func<Received, bool> match, TimeSpan? timeout = null) =>
        (await WaitForAnsweredAsync(r => r.AnsweredStatus is >= 200 and < 300 && match(r), 1, timeout))[0];

    /// <summary>Waits until <paramref name="count"/> requests matching <paramref name="match"/> have been answered, with any status.</summary>
    public async Task<List<Received>> WaitForAnsweredAsync(Func<Received, bool> match, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var found = Requests.Where(match).Take(count).ToList();
            if (found.Count == count)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Fewer than {count} matching webhook requests arrived. Got: " + string.Join(" | ", Requests.Select(r => $"{r.Hook} {r.AnsweredStatus} {r.Body}")));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record Received(string Hook, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At, int AnsweredStatus)
    {
        public string Event => Headers.GetValueOrDefault("Sweep-Event", "");
    }
}
