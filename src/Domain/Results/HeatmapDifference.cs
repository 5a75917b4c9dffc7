namespace Sweep.Domain.Results;

/// <summary>
/// The cell-by-cell difference of two heatmaps projected with the same query (metric, axes, fixed values, point in
/// time), as the compare view shows it: B − A where both sweeps have a finite value at the same (x, y); every other
/// cell is missing. The grid is the union of both maps' x and y values, so a cell only one sweep ran still shows (as
/// missing) rather than vanishing.
/// </summary>
public static class HeatmapDifference
{
    /// <summary>b − a over the union of their x and y values; n is the smaller of the two cells' n.</summary>
    public static Heatmap Of(Heatmap a, Heatmap b)
    {
        var xs = a.X.Union(b.X).Order().ToList();
        var ys = a.Y.Union(b.Y).Order().ToList();
        var ca = Index(a);
        var cb = Index(b);
        var z = new List<IReadOnlyList<double?>>();
        var counts = new List<IReadOnlyList<int>>();
        var trials = new List<IReadOnlyList<IReadOnlyList<Guid>>>();
        var notes = new List<IReadOnlyList<string?>>();
        foreach (var y in ys)
        {
            var zRow = new List<double?>();
            var nRow = new List<int>();
            var tRow = new List<IReadOnlyList<Guid>>();
            var noteRow = new List<string?>();
            foreach (var x in xs)
            {
                var left = ca.GetValueOrDefault((x, y));
                var right = cb.GetValueOrDefault((x, y));
                var value = left?.Value is { } va && right?.Value is { } vb ? vb - va : (double?)null;
                zRow.Add(value);
                nRow.Add(value is null ? 0 : Math.Min(left!.N, right!.N));

                // The trials of both cells: a cell missing because a trial failed or is still running says so.
                tRow.Add([.. left?.Trials ?? [], .. right?.Trials ?? []]);
                noteRow.Add(value is null ? Missing(left, right) : null);
            }

            z.Add(zRow);
            counts.Add(nRow);
            trials.Add(tRow);
            notes.Add(noteRow);
        }

        return new Heatmap(xs, ys, z, counts, [.. ys.Select(_ => (IReadOnlyList<double?>)[.. xs.Select(_ => (double?)null)])])
        {
            XLabels = Labels(xs, a.X, a.XLabels, b.X, b.XLabels),
            YLabels = Labels(ys, a.Y, a.YLabels, b.Y, b.YLabels),
            Trials = trials,
            Notes = notes,
            AveragedOver = [.. a.AveragedOver.Concat(b.AveragedOver).DistinctBy(v => v.Axis)],
        };
    }

    /// <summary>Why a difference cell has no value: which sweep lacks the cell or its value.</summary>
    private static string Missing(Cell? left, Cell? right) => (left, right) switch
    {
        (null, null) => "in neither sweep",
        (null, _) => "only in B",
        (_, null) => "only in A",
        ({ Value: null }, { Value: null }) => "no value in A or B",
        ({ Value: null }, _) => "no value in A",
        _ => "no value in B",
    };

    private sealed record Cell(double? Value, int N, IReadOnlyList<Guid> Trials);

    /// <summary>The map's cells by (x, y); a cell with neither a value nor a trial is not a cell of that sweep.</summary>
    private static Dictionary<(double X, double Y), Cell> Index(Heatmap map)
    {
        var cells = new Dictionary<(double, double), Cell>();
        for (var r = 0; r < map.Y.Count; r++)
        {
            for (var c = 0; c < map.X.Count; c++)
            {
                var value = At(map.Z, r, c);
                var trials = map.Trials.Count > r && map.Trials[r].Count > c ? map.Trials[r][c] : [];
                if (value is not null || trials.Count > 0)
                {
                    var n = map.Count.Count > r && map.Count[r].Count > c ? map.Count[r][c] : 0;
                    cells[(map.X[c], map.Y[r])] = new Cell(value is { } v && double.IsFinite(v) ? v : null, n, trials);
                }
            }
        }

        return cells;
    }

    private static double? At(IReadOnlyList<IReadOnlyList<double?>> z, int r, int c) => z.Count > r && z[r].Count > c ? z[r][c] : null;

    /// <summary>Each value's label from whichever map has it (the same axis reads the same in both).</summary>
    private static List<string> Labels(List<double> values, IReadOnlyList<double> ax, IReadOnlyList<string> al, IReadOnlyList<double> bx, IReadOnlyList<string> bl)
    {
        if (al.Count == 0 && bl.Count == 0)
        {
            return [];
        }

        var labels = new Dictionary<double, string>();
        for (var i = 0; i < bx.Count && i < bl.Count; i++)
        {
            labels[bx[i]] = bl[i];
        }

        for (var i = 0; i < ax.Count && i < al.Count; i++)
        {
            labels[ax[i]] = al[i];
        }

        return [.. values.Select(v => labels.TryGetValue(v, out var label) ? label : v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture))];
    }
}
