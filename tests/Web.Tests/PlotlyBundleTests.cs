using System.Text;
using Plotly.Blazor;
using Sweep.Testing;
using Sweep.Web.Hosting;

namespace Sweep.Web.Tests;

/// <summary>
/// Plotly.Blazor's request for its full plotly.js bundle is answered with the vendored cartesian one
/// (<see cref="PlotlyBundle"/>), and the two stay the same plotly.js version.
/// </summary>
public sealed class PlotlyBundleTests(SweepWebFactory factory) : IClassFixture<SweepWebFactory>
{
    private static string Version(string path) => System.Text.RegularExpressions.Regex.Match(path, @"\d+\.\d+\.\d+").Value;

    [Fact]
    public void The_vendored_bundle_is_the_plotly_version_that_Plotly_Blazor_loads()
    {
        // The interop's path is a constant of Plotly.Blazor's assembly: a new version of the package asks for another file.
        var assembly = File.ReadAllBytes(typeof(PlotlyChart).Assembly.Location);
        var requested = Encoding.Unicode.GetBytes("." + PlotlyBundle.RequestedPath);
        Assert.True(assembly.AsSpan().IndexOf(requested) >= 0, $"Plotly.Blazor no longer loads {PlotlyBundle.RequestedPath}: vendor the cartesian bundle of its plotly.js version");

        var vendored = Path.Combine(RepositoryPaths.Root, "src", "Web", "wwwroot", PlotlyBundle.ServedPath.TrimStart('/'));
        var header = File.ReadLines(vendored).Take(3).ToList();
        Assert.Contains($"plotly.js (cartesian - minified) v{Version(PlotlyBundle.RequestedPath)}", string.Join('\n', header));
        Assert.Equal(Version(PlotlyBundle.RequestedPath), Version(PlotlyBundle.ServedPath));
    }

    [Fact]
    public async Task Plotly_Blazor_s_bundle_path_serves_the_cartesian_bundle()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync(PlotlyBundle.RequestedPath.TrimStart('/'));
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("plotly.js (cartesian - minified) v3.7.0", body[..300]);
        Assert.InRange(body.Length, 1_000_000, 2_000_000);
    }
}
