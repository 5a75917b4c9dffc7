using Microsoft.AspNetCore.Mvc;

namespace Sweep.Web.Access;

/// <summary>RFC 7807 answers written outside an endpoint (middleware, rate limiter).</summary>
internal static class Problems
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string? detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
