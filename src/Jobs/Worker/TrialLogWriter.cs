using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sweep.Data.Commands;

namespace Sweep.Jobs.Worker;

/// <summary>
/// Keeps one attempt's trainer output in PostgreSQL while it runs (table trial_log_chunks). The pipe readers hand
/// each line over through an unbounded channel (<see cref="Write"/> never waits), and one loop flushes what came in
/// every <see cref="FlushInterval"/> or at <see cref="ChunkBytes"/>, whichever is first, and once more when it is
/// disposed: after the trainer exited, failed, ran out of memory or was killed. Only the newest
/// <see cref="WorkerOptions.TrialLogTailBytes"/> of an attempt are kept. A database that cannot take the output
/// never stops the trial: the lines wait for the next flush, the oldest dropped past the bound.
/// </summary>
public sealed class TrialLogWriter : IAsyncDisposable
{
    public const string Stdout = "stdout";

    public const string Stderr = "stderr";

    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long the last flush may take when the attempt ends, so that a dead database cannot hold a shutdown.</summary>
    private static readonly TimeSpan FinalFlushLimit = TimeSpan.FromSeconds(10);

    private const int MaxChunkBytes = 64 * 1024;

    private readonly Channel<(string Stream, string Line)> _lines =
        Channel.CreateUnbounded<(string, string)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly TrialLogCommands _commands;
    private readonly Guid _trialId;
    private readonly string _owner;
    private readonly long _tailBytes;
    private readonly ILogger _logger;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<LogChunkWrite> _unsent = [];
    private readonly CancellationTokenSource _final = new();
    private readonly Task _loop;
    private long _stdoutOffset;
    private long _stderrOffset;
    private long _pendingBytes;
    private long _storedBytes;
    private int? _attempt;
    private bool _gone;

    public TrialLogWriter(TrialLogCommands commands, TrialLease claim, long tailBytes, ILogger logger)
    {
        _commands = commands;
        _trialId = claim.TrialId;
        _owner = claim.Owner;
        _tailBytes = tailBytes;
        _logger = logger;
        ChunkBytes = (int)Math.Min(MaxChunkBytes, tailBytes);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>A flush starts early once this much is waiting; never more than the tail bound.</summary>
    public int ChunkBytes { get; }

    /// <summary>Bytes lost because the database refused flushes for longer than the bound could hold them.</summary>
    public long DroppedBytes { get; private set; }

    /// <summary>Queues a line of <paramref name="stream"/>; never blocks. A line longer than a chunk keeps its end.</summary>
    public void Write(string stream, string line)
    {
        var limit = ChunkBytes / 4;
        if (line.Length > limit)
        {
            line = "…" + line[^(limit - 1)..];
        }

        _lines.Writer.TryWrite((stream, line));
    }

    private async Task RunAsync()
    {
        var reader = _lines.Reader;
        var next = Stopwatch.GetTimestamp() + TicksOf(FlushInterval);
        while (true)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero && !_final.IsCancellationRequested)
            {
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(_final.Token);
                timer.CancelAfter(wait);
                try
                {
                    await reader.WaitToReadAsync(timer.Token);
                }
                catch (OperationCanceledException)
                {
                    // The flush is due.
                }
            }

            while (reader.TryRead(out var item))
            {
                await AppendAsync(item.Stream, item.Line);
            }

            // Complete once disposed and every line read: the last flush, then done.
            var ended = reader.Completion.IsCompleted || _final.IsCancellationRequested;
            if (ended || Stopwatch.GetTimestamp() >= next)
            {
                await FlushAsync();
                next = Stopwatch.GetTimestamp() + TicksOf(FlushInterval);
            }

            if (ended)
            {
                return;
            }
        }
    }

    private async Task AppendAsync(string stream, string line)
    {
        var bytes = Encoding.UTF8.GetByteCount(line) + 1;
        if (_pendingBytes + bytes > ChunkBytes)
        {
            await FlushAsync();
        }

        (stream == Stderr ? _stderr : _stdout).Append(line).Append('\n');
        _pendingBytes += bytes;
    }

    private async Task FlushAsync()
    {
        var at = DateTimeOffset.UtcNow;
        Take(Stdout, _stdout, ref _stdoutOffset, at);
        Take(Stderr, _stderr, ref _stderrOffset, at);
        _pendingBytes = 0;
        if (_unsent.Count == 0 || _gone)
        {
            _unsent.Clear();
            return;
        }

        try
        {
            _attempt ??= await _commands.AttemptOfAsync(_trialId, _owner, _final.Token);
            if (_attempt is not { } attempt)
            {
                Gone();
                return;
            }

            var sent = _unsent.Sum(c => (long)c.Bytes);
            var trim = _storedBytes + sent > _tailBytes ? _tailBytes : (long?)null;
            var deleted = await _commands.AppendAsync(_trialId, attempt, _unsent, trim, _final.Token);
            _storedBytes += sent - deleted;
            _unsent.Clear();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            Gone();
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the loop goes on (else the channel would fill for the rest of the trial). What was
            // not stored waits for the next flush, as far as the bound allows: the oldest lines go first, as in the table.
            _logger.TrialLogFlushFailed(_trialId, ex.Message);
            while (_unsent.Count > 1 && _unsent.Sum(c => (long)c.Bytes) > _tailBytes)
            {
                DroppedBytes += _unsent[0].Bytes;
                _unsent.RemoveAt(0);
            }
        }
    }

    private void Take(string stream, StringBuilder text, ref long offset, DateTimeOffset at)
    {
        if (text.Length == 0)
        {
            return;
        }

        var chunk = text.ToString();
        var bytes = Encoding.UTF8.GetByteCount(chunk);
        _unsent.Add(new LogChunkWrite(stream, offset, chunk, bytes, at));
        offset += bytes;
        text.Clear();
    }

    /// <summary>The trial was deleted under the attempt: nothing to keep its output for.</summary>
    private void Gone()
    {
        _gone = true;
        _unsent.Clear();
    }

    private static long TicksOf(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Flushes what is left, within <see cref="FinalFlushLimit"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        _final.CancelAfter(FinalFlushLimit);
        try
        {
            await _loop;
        }
        catch (Exception ex)
        {
            _logger.TrialLogFlushFailed(_trialId, ex.Message);
        }

        _final.Dispose();
    }
}
