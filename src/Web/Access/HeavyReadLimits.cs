using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Sweep.Web.Access;

/// <summary>
/// A concurrency limit on the reads that stream a whole sweep or checkpoint, partitioned by credential: one client
/// cannot hold every database connection and response buffer of the process with parallel downloads, and one
/// credential's downloads never starve another's. A refused read gets 429 with Retry-After; concurrency leases carry
/// no retry time of their own, so the policy sets it.
/// </summary>
public sealed class HeavyReadLimits(IOptions<HeavyReadOptions> options) : IRateLimiterPolicy<string>
{
    public const string Policy = "heavy-reads";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (context, _) =>
    {
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = options.Value.HeavyReadRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await Problems.WriteAsync(http, StatusCodes.Status429TooManyRequests, "Too many downloads at once.",
            $"This credential already runs {options.Value.HeavyReadsPerCredential} exports or downloads; wait for one to finish and try again.");
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetConcurrencyLimiter(CredentialOf(httpContext), _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.HeavyReadsPerCredential,
            QueueLimit = 0,
        });

    /// <summary>The token or share link, else the account (a session), else the client address.</summary>
    internal static string CredentialOf(HttpContext context)
    {
        var user = context.User;
        if (user.FindFirst(SweepClaims.TokenId)?.Value is { Length: > 0 } token)
        {
            return "token:" + token;
        }

        return user.UserId() is { } id ? "user:" + id : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "local");
    }
}

internal static class HeavyReadLimitsHosting
{
    public static IServiceCollection AddHeavyReadLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HeavyReadOptions>().Bind(configuration.GetSection(HeavyReadOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.Configure<RateLimiterOptions>(o => o.AddPolicy<string, HeavyReadLimits>(HeavyReadLimits.Policy));
        return services;
    }
}
