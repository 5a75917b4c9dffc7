using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sweep.Data.Commands;

namespace Sweep.Jobs.Worker;

/// <summary>
/// Renews a claimed trial's lease every <see cref="WorkerOptions.HeartbeatSeconds"/>. <see cref="Lost"/> fires when
/// the lease is gone, by the database's word or by this worker's own clock: the lease runs from the moment a renewal
/// was sent, so the worker counts it as expired no later than the database does, and kills its trainer before
/// anyone else can take the trial over.
/// </summary>
public sealed class LeaseHeartbeat : IAsyncDisposable
{
    private readonly TrialStore _store;
    private readonly TrialLease _claim;
    private readonly TimeSpan _lease;
    private readonly TimeSpan _every;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _renewedAt;
    private volatile int _loss = -1;

    /// <param name="claimedAt">A <see cref="Stopwatch.GetTimestamp"/> from before the claim was sent.</param>
    public LeaseHeartbeat(TrialStore store, TrialLease claim, WorkerOptions worker, long claimedAt, ILogger logger)
    {
        _store = store;
        _claim = claim;
        _lease = TimeSpan.FromSeconds(worker.LeaseSeconds);
        _every = TimeSpan.FromSeconds(worker.HeartbeatSeconds);
        _logger = logger;
        _renewedAt = claimedAt;
        _loop = Task.Run(RenewAsync, CancellationToken.None);
    }

    /// <summary>Fires when the lease is gone; everything the attempt does for the trial stops on it.</summary>
    public CancellationToken Lost => _lost.Token;

    public LeaseLoss? Loss => _loss < 0 ? null : (LeaseLoss)_loss;

    public TimeSpan Lease => _lease;

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(_every);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var remaining = _lease - Stopwatch.GetElapsedTime(_renewedAt);
                if (remaining <= TimeSpan.Zero)
                {
                    await LoseAsync(LeaseLoss.Expired);
                    return;
                }

                if (await TryRenewAsync(remaining) == false)
                {
                    await LoseAsync(LeaseLoss.Taken);
                    return;
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // The attempt ended (a renewal in flight may fail in any way as it is cancelled).
        }
    }

    /// <summary>True: renewed; false: the trial is not ours; null: no answer in time (the database is away).</summary>
    private async Task<bool?> TryRenewAsync(TimeSpan remaining)
    {
        var sentAt = Stopwatch.GetTimestamp();
        using var call = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);

        // A renewal that hangs (a partition rather than a refused connection) must not hold up the expiry check.
        call.CancelAfter(remaining);
        try
        {
            if (!await _store.HeartbeatAsync(_claim, _lease, call.Token))
            {
                return false;
            }

            _renewedAt = sentAt;
            return true;
        }
        catch (Exception ex) when (!_stop.IsCancellationRequested)
        {
            var left = _lease - Stopwatch.GetElapsedTime(_renewedAt);
            _logger.LeaseRenewalFailed(_claim.TrialId, ex.Message, Math.Max(0, left.TotalSeconds));
            return null;
        }
    }

    private async Task LoseAsync(LeaseLoss loss)
    {
        _loss = (int)loss;
        if (loss == LeaseLoss.Expired)
        {
            _logger.LeaseExpired(_claim.TrialId, _lease.TotalSeconds);
        }

        await _lost.CancelAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
