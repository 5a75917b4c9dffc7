using System.Net;

namespace Sweep.Client;

/// <summary>A request the API refused, with its RFC 7807 problem details (field errors included) when it sent them.</summary>
public sealed class SweepApiException(HttpStatusCode status, ProblemDetailsResponse? problem, string body)
    : Exception(Describe(status, problem, body))
{
    public HttpStatusCode Status { get; } = status;

    public ProblemDetailsResponse? Problem { get; } = problem;

    /// <summary>Field errors keyed by the JSON path of the field (grid.batchSize, training.learningRate, …); empty if none.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = problem?.Errors ?? new Dictionary<string, string[]>();

    private static string Describe(HttpStatusCode status, ProblemDetailsResponse? problem, string body)
    {
        if (problem is null)
        {
            return $"{(int)status} {status}: {(body.Length > 500 ? body[..500] : body)}";
        }

        var fields = problem.Errors is { Count: > 0 } errors
            ? " " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))
            : "";
        return $"{(int)status} {problem.Title}{(problem.Detail is { } d ? " " + d : "")}{fields}";
    }
}

/// <summary>The parts of a ProblemDetails body a caller acts on.</summary>
public sealed record ProblemDetailsResponse(
    string? Type,
    string? Title,
    int? Status,
    string? Detail,
    IReadOnlyDictionary<string, string[]>? Errors);
