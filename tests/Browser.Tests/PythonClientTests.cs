using System.Diagnostics;
using System.Text.RegularExpressions;
using Sweep.Testing;

namespace Sweep.Browser.Tests;

/// <summary>
/// clients/python's own tests (Debian's python3, standard library only) against the running platform: the real API
/// on the throwaway PostgreSQL, with the fixture's worker training the sweeps they submit.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class PythonClientTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_python_client_drives_a_sweep_end_to_end_and_reads_refusals_as_typed_errors()
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { WorkingDirectory = Path.Combine(RepositoryPaths.Root, "clients", "python") };
        foreach (var arg in new[] { "-m", "unittest", "discover", "-s", "tests", "-v" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["SWEEP_URL"] = fixture.BaseUrl;
        info.Environment["SWEEP_TOKEN"] = fixture.ApiToken;
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        var (exitCode, output) = await ChildRun.RunAsync(info, TimeSpan.FromMinutes(9), "the Python client's tests");

        // unittest reports on stderr: every test's line, then "Ran N tests" and "OK".
        Assert.True(exitCode == 0, output + $"\n--- worker ---\n{fixture.Worker.Output}");
        Assert.Equal("12", Ran().Match(output).Groups[1].Value);
        Assert.DoesNotContain("skipped", output, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"Ran (\d+) tests? in")]
    private static partial Regex Ran();
}
