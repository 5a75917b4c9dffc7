using Microsoft.Extensions.Options;

namespace Sweep.Web.Access;

/// <summary>
/// Wraps the logger factory so that every logger, whichever provider it writes to, sees messages, structured
/// values, scopes and exceptions with Sweep tokens replaced by "[redacted]". Share links carry their token in the
/// path (/s/{token}), which the hosting and routing logs print; redaction here covers those and any future log line.
/// </summary>
internal sealed class RedactingLoggerFactory(
    IEnumerable<ILoggerProvider> providers,
    IOptionsMonitor<LoggerFilterOptions> filters,
    IOptions<LoggerFactoryOptions> options,
    IExternalScopeProvider? scopes = null) : ILoggerFactory
{
    private readonly LoggerFactory _inner = new(providers, filters, options, scopes);

    public ILogger CreateLogger(string categoryName) => new RedactingLogger(_inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

    public void Dispose() => _inner.Dispose();
}

internal sealed class RedactingLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
        Leaks(state) ? inner.BeginScope(Redacted(state)) : inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        var leakyException = exception is not null && SecretTokens.ContainsSecret(exception.ToString());
        if (!SecretTokens.ContainsSecret(message) && !Leaks(state) && !leakyException)
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        var safe = new RedactedState(SecretTokens.Redact(message));
        var safeException = leakyException ? new RedactedException(exception!) : exception;
        inner.Log(logLevel, eventId, safe, safeException, (s, _) => s.ToString());
    }

    private static bool Leaks<TState>(TState state) =>
        SecretTokens.ContainsSecret(state?.ToString())
        || (state is IEnumerable<KeyValuePair<string, object?>> pairs && pairs.Any(p => SecretTokens.ContainsSecret(p.Value?.ToString())));

    private static RedactedState Redacted<TState>(TState state) => new(SecretTokens.Redact(
        state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(" ", pairs.Where(p => p.Key != "{OriginalFormat}").Select(p => $"{p.Key}:{p.Value}"))
            : state?.ToString() ?? ""));

    /// <summary>A redacted message as the one structured value, so that structured sinks see no secret either.</summary>
    private sealed class RedactedState(string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _pairs = [new("{OriginalFormat}", message)];

        public KeyValuePair<string, object?> this[int index] => _pairs[index];

        public int Count => _pairs.Length;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_pairs).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }

    private sealed class RedactedException(Exception original)
        : Exception(SecretTokens.Redact(original.Message) + " (" + original.GetType().FullName + "; details redacted)");
}
