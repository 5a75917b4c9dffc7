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
public sealed partial class SweepClient(HttpClient http)
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
        var created = await ReadAsync<SweepCreated>(response, ct);
        return created with { Replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Contains("true") };
    }

    public Task<SweepInfo> GetSweepAsync(Guid id, CancellationToken ct = default) => GetAsync<SweepInfo>($"api/v1/sweeps/{id}", ct);

    /// <summary>One page of the sweeps list; pass <see cref="ResultPage{T}.NextCursor"/> back, with the same query, for the next.</summary>
    public Task<ResultPage<SweepListItem>> ListSweepsAsync(SweepListQuery? query = null, string? cursor = null, CancellationToken ct = default) =>
        GetAsync<ResultPage<SweepListItem>>("api/v1/sweeps" + (query ?? new SweepListQuery()).ToQueryString(cursor), ct);

    /// <summary>Every sweep the query matches, page after page; each exactly once even while new sweeps are created.</summary>
    public IAsyncEnumerable<SweepListItem> AllSweepsAsync(SweepListQuery? query = null, CancellationToken ct = default) =>
        AllAsync(cursor => ListSweepsAsync(query, cursor, ct), ct);

    /// <summary>One page of a sweep's trials, filtered and ordered by <paramref name="query"/>.</summary>
    public Task<ResultPage<TrialInfo>> ListTrialsAsync(Guid sweepId, TrialListQuery query, string? cursor = null, CancellationToken ct = default) =>
        GetAsync<ResultPage<TrialInfo>>($"api/v1/sweeps/{sweepId}/trials{query.ToQueryString(cursor)}", ct);

    /// <summary>Every trial of a sweep that <paramref name="query"/> matches, in its order.</summary>
    public IAsyncEnumerable<TrialInfo> AllTrialsAsync(Guid sweepId, TrialListQuery query, CancellationToken ct = default) =>
        AllAsync(cursor => ListTrialsAsync(sweepId, query, cursor, ct), ct);

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

    /// <summary>‖w − w0‖ per configuration over seeds: mean line, 95 % band, and the fit report of the mean line before the first LR drop.</summary>
    public Task<GroupedDistanceInfo> GetGroupedDistanceAsync(Guid sweepId, IEnumerable<Guid>? trials = null, int points = 300, CancellationToken ct = default)
    {
        var query = $"group=seeds&points={points.ToString(CultureInfo.InvariantCulture)}" + (trials is null ? "" : "&trials=" + string.Join(',', trials));
        return GetAsync<GroupedDistanceInfo>($"api/v1/sweeps/{sweepId}/distance?{query}", ct);
    }

    /// <summary>Learning curves per configuration over seeds (query: keys, trials, points; group=seeds is added).</summary>
    public Task<GroupedCurvesInfo> GetGroupedCurvesAsync(Guid sweepId, string? query = null, CancellationToken ct = default) =>
        GetAsync<GroupedCurvesInfo>($"api/v1/sweeps/{sweepId}/curves?group=seeds{(string.IsNullOrEmpty(query) ? "" : "&" + query.TrimStart('?', '&'))}", ct);

    /// <summary>Per configuration and final metric over seeds: n, mean, std, 95 % interval, baseline − cell, withinNoise, flags.</summary>
    public Task<IReadOnlyList<CellAggregateInfo>> GetCellAggregatesAsync(Guid sweepId, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<CellAggregateInfo>>($"api/v1/sweeps/{sweepId}/export/cells.json", ct);

    public Task<ResultPage<MetricPoint>> GetTrialMetricsAsync(Guid trialId, string? cursor = null, CancellationToken ct = default) =>
        GetTrialMetricsAsync(trialId, key: null, cursor, limit: null, ct);

    /// <summary>One page of a trial's metric history, ordered by (key, step); <paramref name="key"/> keeps one metric.</summary>
    public Task<ResultPage<MetricPoint>> GetTrialMetricsAsync(Guid trialId, string? key, string? cursor, int? limit = null, CancellationToken ct = default) =>
        GetAsync<ResultPage<MetricPoint>>($"api/v1/trials/{trialId}/metrics{QueryString.Build(("key", key), ("limit", QueryString.Of(limit)), ("cursor", cursor))}", ct);

    /// <summary>A trial's whole metric history (or one key's), page after page.</summary>
    public IAsyncEnumerable<MetricPoint> AllTrialMetricsAsync(Guid trialId, string? key = null, CancellationToken ct = default) =>
        AllAsync(cursor => GetTrialMetricsAsync(trialId, key, cursor, null, ct), ct);

    /// <summary>Learning curves of selected trials, downsampled on the server (query: keys, trials, points).</summary>
    public Task<JsonElement> GetCurvesAsync(Guid sweepId, string? query = null, CancellationToken ct = default) =>
        GetAsync<JsonElement>($"api/v1/sweeps/{sweepId}/curves{Query(query)}", ct);

    /// <summary>One page of the registered workers, by name.</summary>
    public Task<ResultPage<WorkerInfo>> ListWorkersAsync(string? cursor = null, int? limit = null, CancellationToken ct = default) =>
        GetAsync<ResultPage<WorkerInfo>>($"api/v1/workers{QueryString.Build(("limit", QueryString.Of(limit)), ("cursor", cursor))}", ct);

    public IAsyncEnumerable<WorkerInfo> AllWorkersAsync(CancellationToken ct = default) =>
        AllAsync(cursor => ListWorkersAsync(cursor, null, ct), ct);

    public Task PauseWorkerAsync(string name, CancellationToken ct = default) => PostAsync($"api/v1/workers/{Uri.EscapeDataString(name)}/pause", ct);

    /// <summary>Resumes a worker, for instance one that paused itself after repeated failures.</summary>
    public Task ResumeWorkerAsync(string name, CancellationToken ct = default) => PostAsync($"api/v1/workers/{Uri.EscapeDataString(name)}/resume", ct);

    /// <summary>An export as text: trials.csv, trials.json, cells.csv, cells.json, metrics.csv or metrics.json.</summary>
    public async Task<string> ExportAsync(Guid sweepId, string file, CancellationToken ct = default)
    {
        using var response = await http.GetAsync($"api/v1/sweeps/{sweepId}/export/{file}", ct);
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    /// <summary>The sweep as a gzipped sweep archive (spec, trials, full metric history): what examples/ holds.</summary>
    public async Task<byte[]> DownloadArchiveAsync(Guid sweepId, CancellationToken ct = default)
    {
        using var response = await http.GetAsync($"api/v1/sweeps/{sweepId}/export/archive.sweep.json.gz", ct);
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    public Task DeleteSweepAsync(Guid id, CancellationToken ct = default) => SendAsync(HttpMethod.Delete, $"api/v1/sweeps/{id}", ct);

    public Task CancelSweepAsync(Guid id, CancellationToken ct = default) => PostAsync($"api/v1/sweeps/{id}/cancel", ct);

    public Task CancelTrialAsync(Guid trialId, CancellationToken ct = default) => PostAsync($"api/v1/trials/{trialId}/cancel", ct);

    /// <summary>Requeues a failed or cancelled trial; it resumes from its checkpoint unless <paramref name="fresh"/>.</summary>
    public Task RetryTrialAsync(Guid trialId, bool fresh = false, CancellationToken ct = default) =>
        PostAsync($"api/v1/trials/{trialId}/retry{(fresh ? "?fresh=true" : "")}", ct);

    /// <summary>1 high, 0 normal, −1 low: the queue a requeued or waiting trial goes to.</summary>
    public async Task SetTrialPriorityAsync(Guid trialId, int priority, CancellationToken ct = default)
    {
        using var response = await http.PutAsJsonAsync($"api/v1/trials/{trialId}/priority", new { priority }, Json, ct);
        await EnsureSuccessAsync(response, ct);
    }

    /// <summary>Requeues every failed trial of the sweep; returns how many.</summary>
    public async Task<int> RetryFailedAsync(Guid sweepId, CancellationToken ct = default)
    {
        using var response = await http.PostAsync($"api/v1/sweeps/{sweepId}/retry-failed", content: null, ct);
        return (await ReadAsync<JsonElement>(response, ct)).GetProperty("requeued").GetInt32();
    }

    /// <summary>Adds axis values or seeds; returns how many trials were created (only the missing cells).</summary>
    public async Task<int> ExtendSweepAsync(Guid sweepId, SweepExtensionRequest extension, CancellationToken ct = default)
    {
        using var response = await http.PostAsJsonAsync($"api/v1/sweeps/{sweepId}/extend", extension, SweepJson.Options, ct);
        return (await ReadAsync<JsonElement>(response, ct)).GetProperty("added").GetInt32();
    }

    /// <summary>A read-only link to the sweep's results page (/s/{token}); the token is shown only in this answer.</summary>
    public Task<ShareLinkCreated> CreateShareLinkAsync(Guid sweepId, DateTimeOffset? expiresAt = null, CancellationToken ct = default) =>
        CreateShareLinkAsync(sweepId, name: null, expiresAt, ct);

    /// <param name="name">What the link is for (up to 100 characters), shown in the sweep's list of links.</param>
    public async Task<ShareLinkCreated> CreateShareLinkAsync(Guid sweepId, string? name, DateTimeOffset? expiresAt = null, CancellationToken ct = default)
    {
        using var response = await http.PostAsJsonAsync($"api/v1/sweeps/{sweepId}/share-links", new { expiresAt, name }, Json, ct);
        return await ReadAsync<ShareLinkCreated>(response, ct);
    }

    public Task RevokeShareLinkAsync(Guid sweepId, Guid linkId, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Delete, $"api/v1/sweeps/{sweepId}/share-links/{linkId}", ct);

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

    /// <summary>Follows next cursors until the last page.</summary>
    private static async IAsyncEnumerable<T> AllAsync<T>(Func<string?, Task<ResultPage<T>>> page, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? cursor = null;
        do
        {
            ct.ThrowIfCancellationRequested();
            var current = await page(cursor);
            foreach (var item in current.Items)
            {
                yield return item;
            }

            cursor = current.NextCursor;
        }
        while (cursor is not null);
    }

    private static string Query(string? query) => string.IsNullOrEmpty(query) ? "" : "?" + query.TrimStart('?');

    private async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        return await ReadAsync<T>(response, ct);
    }

    private Task PostAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Post, path, ct);

    private async Task SendAsync(HttpMethod method, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await http.SendAsync(request, ct);
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
