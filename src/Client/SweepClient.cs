using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sweep.Domain.Sweeps;

namespace Sweep.Client;

/// <summary>
/// Sweep's REST API (/api/v1) as typed calls. The caller owns the <see cref="HttpClient"/> and its base address;
/// a personal access token, when the server asks for one, goes in as <see cref="UseToken"/>.
/// Every refusal surfaces as a <see cref="SweepApiException"/> carrying the server's problem details.
/// </summary>
public sealed class SweepClient(HttpClient http)
{
    /// <summary>Requests use the server's own spelling; responses tolerate fields this client does not know yet.</summary>
    private static readonly JsonSerializerOptions Json = CreateJson();

    public HttpClient Http => http;

    public static SweepClient Create(Uri baseAddress, string? token = null)
    {
        var client = new SweepClient(new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) });
        if (token is not null)
        {
            client.UseToken(token);
        }

        return client;
    }

    public void UseToken(string token) => http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

    /// <summary>Creates a sweep; with an idempotency key a retried call returns the first call's sweep instead of a second one.</summary>
    public async Task<SweepCreated> CreateSweepAsync(SweepRequest request, string? idempotencyKey = null, CancellationToken ct = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "api/v1/sweeps")
        {
            Content = JsonContent.Create(request, options: SweepJson.Options),
        };
        if (idempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await http.SendAsync(message, ct);
        return await ReadAsync<SweepCreated>(response, ct);
    }

    public Task<SweepInfo> GetSweepAsync(Guid id, CancellationToken ct = default) => GetAsync<SweepInfo>($"api/v1/sweeps/{id}", ct);

    public Task<IReadOnlyList<SweepListItem>> ListSweepsAsync(int limit = 50, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<SweepListItem>>($"api/v1/sweeps?limit={limit}", ct);

    /// <summary>One page of a sweep's trials; pass <see cref="ResultPage{T}.NextCursor"/> back for the next.</summary>
    public Task<ResultPage<TrialInfo>> ListTrialsAsync(Guid sweepId, string? query = null, string? cursor = null, CancellationToken ct = default)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(query))
        {
            parts.Add(query.TrimStart('?'));
        }

        if (cursor is not null)
        {
            parts.Add("cursor=" + Uri.EscapeDataString(cursor));
        }

        return GetAsync<ResultPage<TrialInfo>>($"api/v1/sweeps/{sweepId}/trials{(parts.Count > 0 ? "?" + string.Join('&', parts) : "")}", ct);
    }

    /// <summary>Every trial of a sweep, page after page.</summary>
    public async IAsyncEnumerable<TrialInfo> AllTrialsAsync(Guid sweepId, string? query = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        string? cursor = null;
        do
        {
            var page = await ListTrialsAsync(sweepId, query, cursor, ct);
            foreach (var trial in page.Items)
            {
                yield return trial;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>The heatmap as the server projects it (query: x, y, metric, fixed axis values, baseline).</summary>
    public Task<JsonElement> GetHeatmapAsync(Guid sweepId, string? query = null, CancellationToken ct = default) =>
        GetAsync<JsonElement>($"api/v1/sweeps/{sweepId}/heatmap{Query(query)}", ct);

    /// <summary>‖w − w0‖ against steps per trial with the fitted log slope.</summary>
    public Task<SweepDistanceInfo> GetDistanceAsync(Guid sweepId, IEnumerable<Guid>? trials = null, int points = 300, CancellationToken ct = default)
    {
        var query = $"points={points.ToString(CultureInfo.InvariantCulture)}" + (trials is null ? "" : "&trials=" + string.Join(',', trials));
        return GetAsync<SweepDistanceInfo>($"api/v1/sweeps/{sweepId}/distance?{query}", ct);
    }

    public Task<ResultPage<MetricPoint>> GetTrialMetricsAsync(Guid trialId, string? cursor = null, CancellationToken ct = default) =>
        GetAsync<ResultPage<MetricPoint>>($"api/v1/trials/{trialId}/metrics{(cursor is null ? "" : "?cursor=" + Uri.EscapeDataString(cursor))}", ct);

    /// <summary>An export as text: trials.csv, trials.json, metrics.csv or metrics.json.</summary>
    public async Task<string> ExportAsync(Guid sweepId, string file, CancellationToken ct = default)
    {
        using var response = await http.GetAsync($"api/v1/sweeps/{sweepId}/export/{file}", ct);
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    public Task CancelSweepAsync(Guid id, CancellationToken ct = default) => PostAsync($"api/v1/sweeps/{id}/cancel", ct);

    public Task CancelTrialAsync(Guid trialId, CancellationToken ct = default) => PostAsync($"api/v1/trials/{trialId}/cancel", ct);

    public Task PauseSweepAsync(Guid id, CancellationToken ct = default) => PostAsync($"api/v1/sweeps/{id}/pause", ct);

    public Task ResumeSweepAsync(Guid id, CancellationToken ct = default) => PostAsync($"api/v1/sweeps/{id}/resume", ct);

    /// <summary>Polls until no trial is queued or running; <paramref name="progress"/> sees every poll.</summary>
    public async Task<SweepInfo> WaitAsync(Guid id, TimeSpan poll, Action<SweepInfo>? progress = null, CancellationToken ct = default)
    {
        while (true)
        {
            var sweep = await GetSweepAsync(id, ct);
            progress?.Invoke(sweep);
            if (sweep.IsSettled)
            {
                return sweep;
            }

            await Task.Delay(poll, ct);
        }
    }

    private static string Query(string? query) => string.IsNullOrEmpty(query) ? "" : "?" + query.TrimStart('?');

    private async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        return await ReadAsync<T>(response, ct);
    }

    private async Task PostAsync(string path, CancellationToken ct)
    {
        using var response = await http.PostAsync(path, content: null, ct);
        await EnsureSuccessAsync(response, ct);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<T>(Json, ct)
            ?? throw new SweepApiException(response.StatusCode, null, "The response body was empty.");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(ct);
        ProblemDetailsResponse? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                problem = JsonSerializer.Deserialize<ProblemDetailsResponse>(body, Json);
            }
            catch (JsonException)
            {
                // Not a problem document after all: the raw body goes into the message instead.
            }
        }

        throw new SweepApiException(response.StatusCode, problem, body);
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = SweepJson.Create();
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        return options;
    }
}
