using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Sweep.Web.Api;

/// <summary>
/// RFC 7807 for every error under /api: status codes without a body (404 from routing, 405, 415, 401/403 from
/// authentication), unhandled exceptions and oversized bodies all become application/problem+json, whatever the
/// caller's Accept header says. Browser pages keep their own error page; this pipeline only branches on /api.
/// </summary>
public static class ApiProblems
{
    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    public static IApplicationBuilder UseApiProblems(this IApplicationBuilder app) =>
        app.UseWhen(IsApi, api =>
        {
            api.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteExceptionAsync });
            api.UseStatusCodePages(context => WriteStatusAsync(context.HttpContext));
            api.Use(LimitBodyAsync);
        });

    /// <summary>
    /// Refuses a declared oversized body before anything reads it, and caps undeclared (chunked) ones in the server,
    /// which then fails the read with a 413 that <see cref="WriteExceptionAsync"/> turns into a problem.
    /// </summary>
    private static Task LimitBodyAsync(HttpContext context, Func<Task> next)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<SweepApiOptions>>().Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return TooLarge(context, limit).ExecuteAsync(context);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        return next();
    }

    /// <summary>413 naming the limit, with a field error on the body so that clients show it like any other.</summary>
    public static ProblemHttpResult TooLarge(HttpContext context, long limit)
    {
        var message = $"The request body is larger than the limit of {Bytes(limit)}.";
        return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = [message] })
        {
            Status = StatusCodes.Status413PayloadTooLarge,
            Title = "The request body is too large.",
            Detail = message,
            Instance = context.Request.Path,
            Extensions = { ["limitBytes"] = limit },
        });
    }

    private static string Bytes(long bytes) =>
        bytes % (1024 * 1024) == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes ({bytes / (1024 * 1024)} MiB)")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

    private static Task WriteExceptionAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            var limit = context.RequestServices.GetRequiredService<IOptions<SweepApiOptions>>().Value.MaxRequestBodyBytes;
            return TooLarge(context, limit).ExecuteAsync(context);
        }

        // A malformed request the server noticed while reading it is the client's fault; anything else is ours, and
        // its message stays in the log: it may name internals.
        return error is BadHttpRequestException bad
            ? Problem(context, bad.StatusCode, bad.Message)
            : Problem(context, StatusCodes.Status500InternalServerError, "The server failed to handle the request; the error is logged with the trace id.");
    }

    private static Task WriteStatusAsync(HttpContext context) =>
        Problem(context, context.Response.StatusCode, context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => $"Nothing is found at {context.Request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
            StatusCodes.Status401Unauthorized => "Authenticate with 'Authorization: Bearer <token>'.",
            StatusCodes.Status403Forbidden => "The credentials are valid but do not allow this action.",
            _ => null,
        });

    private static Task Problem(HttpContext context, int status, string? detail)
    {
        var problem = TypedResults.Problem(detail, context.Request.Path, status);
        problem.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier;
        return problem.ExecuteAsync(context);
    }
}
