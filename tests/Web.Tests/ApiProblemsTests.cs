using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Web.Sweeps;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>Every error under /api is RFC 7807 application/problem+json; pages keep their own error handling.</summary>
[Collection(SharedHost.Api)]
public sealed class ApiProblemsTests(SweepWebFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }

    [Theory]
    [InlineData("/api/v1/nothing-here")]
    [InlineData("/api/v1/sweeps/00000000-0000-0000-0000-000000000001")]
    [InlineData("/api/v1/sweeps/00000000-0000-0000-0000-000000000001/trials")]
    [InlineData("/api/v1/trials/00000000-0000-0000-0000-000000000001")]
    [InlineData("/api/v1/sweeps/not-a-guid")]
    public async Task Not_found_is_a_problem(string path)
    {
        var problem = await AssertProblemAsync(await _client.GetAsync(path), HttpStatusCode.NotFound);

        Assert.Equal(path, problem.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task Not_found_is_a_problem_even_when_the_caller_asks_for_html()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sweeps/{Guid.NewGuid()}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        await AssertProblemAsync(await _client.SendAsync(request), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem()
    {
        var problem = await AssertProblemAsync(await _client.DeleteAsync("/api/v1/sweeps"), HttpStatusCode.MethodNotAllowed);

        Assert.Contains("DELETE", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_of_the_wrong_media_type_is_a_415_problem()
    {
        var response = await _client.PutAsync($"/api/v1/trials/{Guid.NewGuid()}/priority", new StringContent("priority=1", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Malformed_JSON_on_a_bound_endpoint_is_a_400_problem()
    {
        var response = await _client.PutAsync($"/api/v1/trials/{Guid.NewGuid()}/priority", new StringContent("{ nope", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Unauthorized_and_forbidden_are_problems(int status)
    {
        // Authentication answers with a bare status code; this endpoint stands in for it until Sweep has accounts.
        using var app = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddSingleton<IStartupFilter>(new BareStatusEndpoint())));

        var response = await app.CreateClient().GetAsync($"/api/v1/test-status/{status}");

        var problem = await AssertProblemAsync(response, (HttpStatusCode)status);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task An_unhandled_exception_is_a_500_problem_that_keeps_its_message_in_the_log()
    {
        using var app = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ITrialQueue, BrokenQueue>()));
        var body = """{"name":"broken-queue","grid":{"batchSize":[128],"ghostBatchSize":[128]},"training":{"epochs":1}}""";

        var response = await app.CreateClient().PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain(BrokenQueue.Secret, problem.ToString());
        Assert.True(problem.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task Pages_keep_their_own_not_found_answer()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-page");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private sealed class BrokenQueue : ITrialQueue
    {
        public const string Secret = "connection to queue host 10.1.2.3 refused";

        public void Enqueue(IEnumerable<(Guid TrialId, int Priority)> trials, string target) => throw new InvalidOperationException(Secret);
    }

    /// <summary>Answers /api/v1/test-status/{code} with that status and no body, behind the app's own middleware.</summary>
    private sealed class BareStatusEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context =>
            {
                var segments = context.Request.Path.Value!.Split('/');
                context.Response.StatusCode = segments is [_, "api", "v1", "test-status", var code] ? int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) : 404;
                return Task.CompletedTask;
            });
        };
    }
}
