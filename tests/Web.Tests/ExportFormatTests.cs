using System.Text.Json;
using Sweep.Web.Components;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests;

/// <summary>CSV fields, JSON-to-table flattening and chart colours: pure, no database.</summary>
public sealed class ExportFormatTests
{
    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(-2.5, "-2.5")]
    public void Numbers_are_invariant_and_non_finite_values_are_spelled_out(double value, string expected)
    {
        var culture = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal(expected, Csv.Number(value));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Text_is_quoted_only_when_it_must_be()
    {
        Assert.Equal("diverged", Csv.Text("diverged"));
        Assert.Equal("", Csv.Text(null));
        Assert.Equal("\"a, b\"", Csv.Text("a, b"));
        Assert.Equal("\"say \"\"hi\"\"\"", Csv.Text("say \"hi\""));
        Assert.Equal("\"two\nlines\"", Csv.Text("two\nlines"));
        Assert.Equal("a,,1\r\n", Csv.Line("a", Csv.Number((double?)null), Csv.Number(1L)));
    }

    [Fact]
    public void Json_documents_flatten_to_dotted_keys()
    {
        using var doc = JsonDocument.Parse("""
            {"learningRate":0.1,"optimizer":{"momentum":0.9,"nesterov":false},"lrDropEpochs":[10,20],"device":"cpu",
             "layers":[{"width":512}],"empty":{},"none":null}
            """);

        var rows = JsonTable.Rows(doc.RootElement).ToDictionary(r => r.Key, r => r.Value);

        Assert.Equal("0.1", rows["learningRate"]);
        Assert.Equal("0.9", rows["optimizer.momentum"]);
        Assert.Equal("false", rows["optimizer.nesterov"]);
        Assert.Equal("[10, 20]", rows["lrDropEpochs"]);
        Assert.Equal("cpu", rows["device"]);
        Assert.Equal("512", rows["layers[0].width"]);
        Assert.Equal("{}", rows["empty"]);
        Assert.Equal("null", rows["none"]);
        Assert.Empty(JsonTable.Rows(null));
    }

    [Fact]
    public void Chart_colours_run_along_viridis_without_its_lightest_yellow()
    {
        Assert.Equal("#440154", ChartPalette.Color(0, 1));
        Assert.Equal("#440154", ChartPalette.Color(0, 6));
        var colours = Enumerable.Range(0, 6).Select(i => ChartPalette.Color(i, 6)).ToList();
        Assert.Equal(6, colours.Distinct().Count());
        Assert.DoesNotContain("#fde725", colours);
        Assert.All(colours, c => Assert.Matches("^#[0-9a-f]{6}$", c));
    }

    [Fact]
    public void Curve_keys_accept_recorded_metrics_and_layer_distances_only()
    {
        Assert.True(CurveKeys.IsKnown("valAccuracy"));
        Assert.True(CurveKeys.IsKnown("runningTrainLoss"));
        Assert.True(CurveKeys.IsKnown("weightDistance.layers.0.weight"));
        Assert.False(CurveKeys.IsKnown("accuracy"));
        Assert.False(CurveKeys.IsKnown("weightDistance."));
        Assert.False(CurveKeys.IsKnown("weightDistance.x'; DROP TABLE trials;--"));
    }
}
