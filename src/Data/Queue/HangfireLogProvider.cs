using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace Sweep.Data.Queue;

/// <summary>
/// Hangfire's log provider for a host: its own logger factory, as Hangfire's default, but a logger asked for after that
/// factory was disposed is silent instead of an exception. Hangfire keeps one provider per process, set by the host that
/// configured it last, and its components take their loggers when they are built. In a process with several hosts (the
/// web tests' factories, run in parallel), a host that builds its job client after a later host has stopped would
/// otherwise fail every enqueue with ObjectDisposedException; and any host's Hangfire lines may go to another host's
/// loggers, which a production process (one host) never sees.
/// </summary>
public sealed class HangfireLogProvider(ILoggerFactory loggers) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggers);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
