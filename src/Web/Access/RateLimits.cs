using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Sweep.Web.Access;

/// <summary>
/// Attempts per client address and window on the endpoints that take a password or mint a token (sign-in,
/// registration, token creation). Reads are not limited: a GET of the sign-in page cannot guess a password. Sign-in is
/// also limited per account (<see cref="SignInThrottle"/>), so that many addresses cannot share one guessing budget.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public const string Credentials = "credentials";

    [Range(1, 100_000)]
    public int PermitLimit { get; set; } = 10;

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;

    /// <summary>Sign-in attempts per account (the e-mail typed in the form) and window, from all addresses together.</summary>
    [Range(1, 100_000)]
    public int AccountPermitLimit { get; set; } = 10;

    [Range(1, 86_400)]
    public int AccountWindowSeconds { get; set; } = 300;
}

internal static class RateLimits
{
    public static IServiceCollection AddSweepRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await Problems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many attempts.",
                    "Sign-in, registration and token creation are rate-limited; wait a minute and try again.");
            };
            limiter.AddPolicy(RateLimitOptions.Credentials, context =>
            {
                if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("reads");
                }

                var options = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "local",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.PermitLimit,
                        Window = TimeSpan.FromSeconds(options.WindowSeconds),
                        QueueLimit = 0,
                    });
            });
        });
        return services;
    }
}
