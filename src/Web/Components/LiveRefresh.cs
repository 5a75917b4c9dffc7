namespace Sweep.Web.Components;

/// <summary>
/// The live view of the sweep and trial pages: one tick every <see cref="Interval"/> until the page is disposed. It
/// owns the cancellation the page's reads and actions share, so that leaving the page stops the loop and a read in
/// flight alike.
/// </summary>
public sealed class LiveRefresh : IAsyncDisposable
{
    /// <summary>How often a live page re-checks access and reloads what is still changing.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1.5);

    private readonly CancellationTokenSource stop = new();
    private Task? loop;

    /// <summary>Cancelled when the page goes away.</summary>
    public CancellationToken Token => stop.Token;

    /// <summary>Runs <paramref name="tick"/> every <see cref="Interval"/>; the page passes it through InvokeAsync.</summary>
    public void Start(Func<Task> tick) => loop ??= RunAsync(tick);

    private async Task RunAsync(Func<Task> tick)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                await tick();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }

        stop.Dispose();
    }
}
