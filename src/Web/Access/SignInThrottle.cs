using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Sweep.Web.Access;

/// <summary>
/// Sign-in attempts per account, whatever the client address: the per-address limit of the credentials policy alone
/// lets an attacker with many addresses guess one account's password at many times the rate. The e-mail is only known
/// once the form is read, so the sign-in page asks here before it checks the password.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public SignInThrottle(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(account => RateLimitPartition.GetFixedWindowLimiter(account, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = o.AccountPermitLimit, Window = TimeSpan.FromSeconds(o.AccountWindowSeconds), QueueLimit = 0 }));
    }

    /// <summary>True when one more attempt for this e-mail is allowed; else when to retry.</summary>
    public bool TryAcquire(string email, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(email.Trim().ToUpperInvariant());
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.Zero;
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
