using System.Globalization;
using System.Text;
using Sweep.Domain.Presets;
using Sweep.Domain.Statistics;

namespace Sweep.Reproduce;

/// <summary>
/// Validation accuracy against the trainer's clock for the five configurations: per configuration, at each evaluated
/// epoch, the mean over seeds with its 95 % t band, placed at the seeds' mean time. Written as SVG (no plotting
/// library is needed, and the figure stays a diffable text file); the time axis is logarithmic, because +RA runs
/// about ten times longer than the others.
/// </summary>
public static class AccuracyTimeFigure
{
    public const string File = "accuracy-time.svg";

    private const double Width = 1000, Height = 600, Left = 80, Right = 200, Top = 50, Bottom = 70;

    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#ff7f0e", "#2ca02c", "#9467bd"];

    public static Figure Write(IReadOnlyList<ColumnRun> runs, double target, string folder)
    {
        var lines = runs.Select(r => (r.Column, Points: Aggregate(r))).Where(l => l.Points.Count > 0).ToList();
        var all = lines.SelectMany(l => l.Points).ToList();
        if (all.Count == 0)
        {
            throw new InvalidOperationException("No trial of the table has an evaluation to plot.");
        }

        var xMin = Math.Pow(10, Math.Floor(Math.Log10(all.Min(p => p.X))));
        var xMax = Math.Max(xMin * 10, Math.Pow(10, Math.Ceiling(Math.Log10(all.Max(p => p.X)))));
        var yLow = Math.Floor(100 * Math.Min(all.Min(p => p.Low ?? p.Mean), double.IsFinite(target) ? target : 1) / 5) * 5;
        var yHigh = Math.Max(yLow + 5, Math.Ceiling(100 * all.Max(p => p.High ?? p.Mean) / 5) * 5);
        double X(double seconds) => Left + ((Math.Log10(seconds) - Math.Log10(xMin)) / (Math.Log10(xMax) - Math.Log10(xMin)) * (Width - Left - Right));
        double Y(double accuracy) => Height - Bottom - ((100 * accuracy - yLow) / (yHigh - yLow) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"13\">");
        svg.AppendLine("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"28\" font-size=\"16\">Validation accuracy against the trainer's clock (mean over seeds, 95 % t band)</text>");
        Axes(svg, xMin, xMax, yLow, yHigh, X, Y);
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{F(Left)}\" x2=\"{F(Width - Right)}\" y1=\"{F(Y(target))}\" y2=\"{F(Y(target))}\" stroke=\"#555\" stroke-dasharray=\"6 4\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{F(Width - Right - 4)}\" y=\"{F(Y(target) - 5)}\" text-anchor=\"end\" fill=\"#555\">SB − 1 point</text>");
        for (var i = 0; i < lines.Count; i++)
        {
            var (column, points) = lines[i];
            var color = Colors[i % Colors.Length];
            var band = points.Where(p => p.Low is not null).ToList();
            if (band.Count > 1)
            {
                var outline = band.Select(p => $"{F(X(p.X))},{F(Y(p.High!.Value))}").Concat(band.AsEnumerable().Reverse().Select(p => $"{F(X(p.X))},{F(Y(p.Low!.Value))}"));
                svg.AppendLine(CultureInfo.InvariantCulture, $"<polygon points=\"{string.Join(' ', outline)}\" fill=\"{color}\" fill-opacity=\"0.18\" stroke=\"none\"/>");
            }

            svg.AppendLine(CultureInfo.InvariantCulture, $"<polyline points=\"{string.Join(' ', points.Select(p => $"{F(X(p.X))},{F(Y(p.Mean))}"))}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>");
            foreach (var p in points)
            {
                svg.AppendLine(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(p.X))}\" cy=\"{F(Y(p.Mean))}\" r=\"3\" fill=\"{color}\"/>");
            }

            var legendY = Top + 20 + (i * 22);
            svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{F(Width - Right + 20)}\" x2=\"{F(Width - Right + 45)}\" y1=\"{F(legendY)}\" y2=\"{F(legendY)}\" stroke=\"{color}\" stroke-width=\"3\"/>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{F(Width - Right + 52)}\" y=\"{F(legendY + 4)}\">{column.Label()} (n = {points.Max(p => p.N)})</text>");
        }

        svg.AppendLine("</svg>");
        System.IO.File.WriteAllText(Path.Combine(folder, File), svg.ToString());
        return new Figure(File, "Validation accuracy against the trainer's clock for SB, LB, +LR, +GBN and +RA: the mean over seeds at each evaluation, with its 95 % t band; the dashed line is SB's final accuracy minus one point.");
    }

    /// <summary>Per evaluated epoch: the mean time of the seeds there (x) and their accuracy's mean and t band.</summary>
    private static List<BandPoint> Aggregate(ColumnRun run) =>
        run.Trials.SelectMany(t => t.Series)
            .GroupBy(p => p.Epoch)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var summary = SampleSummary.Of(g.Select(p => p.ValAccuracy))!;
                return new BandPoint(g.Average(p => p.TrainerSeconds), summary.Mean, summary.Ci95?.Low, summary.Ci95?.High, summary.N);
            })
            .ToList();

    private static void Axes(StringBuilder svg, double xMin, double xMax, double yLow, double yHigh, Func<double, double> x, Func<double, double> y)
    {
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{F(Left)}\" x2=\"{F(Width - Right)}\" y1=\"{F(Height - Bottom)}\" y2=\"{F(Height - Bottom)}\" stroke=\"black\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{F(Left)}\" x2=\"{F(Left)}\" y1=\"{F(Top)}\" y2=\"{F(Height - Bottom)}\" stroke=\"black\"/>");
        for (var decade = xMin; decade <= xMax * 1.0001; decade *= 10)
        {
            foreach (var m in new[] { 1, 2, 5 })
            {
                var t = decade * m;
                if (t > xMax * 1.0001)
                {
                    break;
                }

                svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{F(x(t))}\" x2=\"{F(x(t))}\" y1=\"{F(Top)}\" y2=\"{F(Height - Bottom)}\" stroke=\"#ddd\"/>");
                svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{F(x(t))}\" y=\"{F(Height - Bottom + 18)}\" text-anchor=\"middle\">{t.ToString("G4", CultureInfo.InvariantCulture)}</text>");
            }
        }

        for (var a = yLow; a <= yHigh + 1e-9; a += 5)
        {
            svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{F(Left)}\" x2=\"{F(Width - Right)}\" y1=\"{F(y(a / 100))}\" y2=\"{F(y(a / 100))}\" stroke=\"#ddd\"/>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{F(Left - 8)}\" y=\"{F(y(a / 100) + 4)}\" text-anchor=\"end\">{a.ToString("F0", CultureInfo.InvariantCulture)}</text>");
        }

        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{F((Left + Width - Right) / 2)}\" y=\"{F(Height - 20)}\" text-anchor=\"middle\">seconds since the trainer started (log scale; clean evaluations included)</text>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text transform=\"translate(24 {F((Top + Height - Bottom) / 2)}) rotate(-90)\" text-anchor=\"middle\">validation accuracy %</text>");
    }

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}
