using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;
using Sweep.Testing;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>
/// /openapi/v1.json as a contract clients can be generated from: Redocly's CLI with its recommended rules finds no
/// error in it, and every /api/v1 operation says which credentials it takes, with share links only where the access
/// rules let them in.
/// </summary>
[Collection(SharedHost.Results)]
public sealed class OpenApiLintTests(SweepWebFactory factory, ITestOutputHelper log)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Redoclys_recommended_rules_find_no_error_in_the_document()
    {
        var redocly = Environment.GetEnvironmentVariable("SWEEP_TEST_REDOCLY");
        var config = Environment.GetEnvironmentVariable("SWEEP_TEST_REDOCLY_CONFIG");
        Assert.False(string.IsNullOrEmpty(redocly) || string.IsNullOrEmpty(config),
            "SWEEP_TEST_REDOCLY and SWEEP_TEST_REDOCLY_CONFIG are unset: run the tests with ./sweep test, which installs Redocly's CLI.");

        var file = Path.Combine(Path.GetTempPath(), $"sweep-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await _client.GetStringAsync("/openapi/v1.json"));
        try
        {
            var info = new ProcessStartInfo(redocly!) { ArgumentList = { "lint", file, "--config", config!, "--format", "stylish" } };
            info.Environment["REDOCLY_TELEMETRY"] = "off";
            info.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            var (exitCode, output) = await ChildRun.RunAsync(info, TimeSpan.FromMinutes(2), "redocly lint");

            log.WriteLine(output);
            Assert.True(exitCode == 0, output);
            Assert.DoesNotContain(" error ", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Every_operation_declares_its_credentials_and_share_links_only_where_they_are_allowed()
    {
        var doc = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = doc.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Path: path.Name, Method: op.Name, Operation: op.Value)))
            .ToList();

        Assert.True(operations.Count > 40, $"only {operations.Count} operations");
        var undeclared = operations.Where(o => !o.Operation.TryGetProperty("security", out _)).Select(o => $"{o.Method} {o.Path}");
        Assert.Empty(undeclared);
        Assert.All(operations, o => Assert.Contains("personalAccessToken", Schemes(operations, o.Method, o.Path)));
        Assert.Empty(operations.Where(o => !o.Operation.TryGetProperty("summary", out _)).Select(o => $"{o.Method} {o.Path}"));

        Assert.Equal(["personalAccessToken", "shareLink"], Schemes(operations, "get", "/api/v1/sweeps/{id}/heatmap"));
        Assert.Equal(["personalAccessToken"], Schemes(operations, "post", "/api/v1/sweeps/{id}/cancel"));
        Assert.Equal(["personalAccessToken"], Schemes(operations, "get", "/api/v1/sweeps"));
        Assert.All(doc.GetProperty("servers").EnumerateArray(), s => Assert.False(s.GetProperty("url").GetString()!.EndsWith('/')));
    }

    private static List<string> Schemes(List<(string Path, string Method, JsonElement Operation)> operations, string method, string path) =>
        operations.Single(o => o.Method == method && o.Path == path).Operation.GetProperty("security")
            .EnumerateArray().SelectMany(r => r.EnumerateObject().Select(s => s.Name)).ToList();
}
