using System.Text;
using Plotly.Blazor;
using Sweep.Testing;
using Sweep.Web.Hosting;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>
/// Plotly.Blazor's request for its full plotly.js bundle is answered with the vendored cartesian one
/// (<see cref="PlotlyBundle"/>), and the two stay the same plotly.js version.
/// </summary>
[Collection(SharedHost.Results)]
public sealed class PlotlyBundleTests(SweepWebFactory factory)
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

    /// <summary>The early heatmap draw loads plotly.js through Plotly.Blazor's interop module, by both of its paths.</summary>
    [Fact]
    public void The_early_draw_names_the_paths_Plotly_Blazor_uses()
    {
        var assembly = File.ReadAllBytes(typeof(PlotlyChart).Assembly.Location);
        var script = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Web", "wwwroot", "heatmap-first-draw.js"));
        var paths = System.Text.RegularExpressions.Regex.Matches(script, @"const (?:interopPath|plotlyPath) = '([^']+)'").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, paths.Count);
        Assert.All(paths, path => Assert.True(assembly.AsSpan().IndexOf(Encoding.Unicode.GetBytes(path)) >= 0, $"Plotly.Blazor does not load {path}"));
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
