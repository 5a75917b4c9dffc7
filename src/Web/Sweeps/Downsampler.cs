namespace Sweep.Web.Sweeps;

/// <summary>One measured value of a series: the optimizer step it was taken at, its epoch, and the value.</summary>
public readonly record struct CurvePoint(long Step, int Epoch, double Value);

/// <summary>
/// Shape-preserving downsampling for charts: Largest-Triangle-Three-Buckets (Steinarsson 2013). The first and last
/// points are always kept; every bucket in between keeps the point that spans the largest triangle with the point
/// kept before it and the average of the next bucket, so peaks, drops and kinks survive where plain striding
/// would skip them. A bucket holding a non-finite value (NaN or ±Infinity: a diverged run) keeps that point.
/// </summary>
public static class Downsampler
{
    public const int DefaultMaxPoints = 300;

    /// <summary>The fewest points a downsampled series may ask for: first, last and one chosen point.</summary>
    public const int MinPoints = 3;

    /// <summary>
    /// The indices (ascending) of at most <paramref name="maxPoints"/> points of the series (xs[i], ys[i]), chosen by
    /// LTTB. xs must be ascending. A series no longer than the cap is kept whole. The inner points are split into
    /// buckets of equal count, or with <paramref name="equalWidth"/> into buckets of equal width in x (empty ones
    /// are skipped, so fewer points may come back), which spreads the points evenly over the drawn axis.
    /// </summary>
    public static int[] LttbIndices(IReadOnlyList<double> xs, IReadOnlyList<double> ys, int maxPoints, bool equalWidth = false)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, MinPoints);
        if (xs.Count != ys.Count)
        {
            throw new ArgumentException($"xs has {xs.Count} values but ys has {ys.Count}.", nameof(ys));
        }

        var n = xs.Count;
        if (n <= maxPoints)
        {
            return Enumerable.Range(0, n).ToArray();
        }

        var buckets = (equalWidth ? WidthBuckets(xs, maxPoints - 2) : null) ?? CountBuckets(n, maxPoints - 2);
        var selected = new List<int>(buckets.Count + 2) { 0 };
        var anchor = 0;
        for (var b = 0; b < buckets.Count; b++)
        {
            var (start, end) = buckets[b];
            var (nextStart, nextEnd) = b + 1 < buckets.Count ? buckets[b + 1] : (n - 1, n);
            var (avgX, avgY) = Average(xs, ys, nextStart, nextEnd);
            var ax = xs[anchor];
            var ay = double.IsFinite(ys[anchor]) ? ys[anchor] : avgY;

            var chosen = start;
            var largest = -1.0;
            for (var i = start; i < end; i++)
            {
                if (!double.IsFinite(ys[i]))
                {
                    chosen = i;
                    break;
                }

                var area = Math.Abs(((ax - avgX) * (ys[i] - ay)) - ((ax - xs[i]) * (avgY - ay)));
                if (area > largest)
                {
                    largest = area;
                    chosen = i;
                }
            }

            selected.Add(chosen);
            anchor = chosen;
        }

        selected.Add(n - 1);
        return [.. selected];
    }

    /// <summary>
    /// At most <paramref name="maxPoints"/> points of a series ordered by step. With <paramref name="logSteps"/> the
    /// buckets are of equal width in ln(1 + step), as the series is drawn on a log axis (‖w − w0‖ against steps),
    /// so the early steps keep their resolution instead of a handful of points.
    /// </summary>
    public static IReadOnlyList<CurvePoint> Downsample(IReadOnlyList<CurvePoint> points, int maxPoints, bool logSteps = false)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, MinPoints);
        if (points.Count <= maxPoints)
        {
            return points;
        }

        var xs = new double[points.Count];
        var ys = new double[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            xs[i] = logSteps ? Math.Log(1 + Math.Max(0, points[i].Step)) : points[i].Step;
            ys[i] = points[i].Value;
        }

        return LttbIndices(xs, ys, maxPoints, equalWidth: logSteps).Select(i => points[i]).ToArray();
    }

    /// <summary>The inner points 1 … n − 2 in <paramref name="count"/> buckets of (nearly) equal size; none is empty since n − 2 ≥ count.</summary>
    private static List<(int Start, int End)> CountBuckets(int n, int count)
    {
        var size = (n - 2) / (double)count;
        var buckets = new List<(int, int)>(count);
        for (var b = 0; b < count; b++)
        {
            var start = BucketStart(b, size);
            var end = b == count - 1 ? n - 1 : Math.Min(BucketStart(b + 1, size), n - 1);
            if (end > start)
            {
                buckets.Add((start, end));
            }
        }

        return buckets;
    }

    /// <summary>The inner points in up to <paramref name="count"/> buckets of equal width in x, empty ones left out; null when x does not advance.</summary>
    private static List<(int Start, int End)>? WidthBuckets(IReadOnlyList<double> xs, int count)
    {
        var n = xs.Count;
        var first = xs[0];
        var width = (xs[n - 1] - first) / count;
        if (!(width > 0) || !double.IsFinite(width))
        {
            return null;
        }

        var buckets = new List<(int, int)>(count);
        var start = 1;
        var current = Bucket(xs[1]);
        for (var i = 2; i < n - 1; i++)
        {
            var b = Bucket(xs[i]);
            if (b != current)
            {
                buckets.Add((start, i));
                start = i;
                current = b;
            }
        }

        if (n - 1 > start)
        {
            buckets.Add((start, n - 1));
        }

        return buckets;

        int Bucket(double x) => Math.Clamp((int)((x - first) / width), 0, count - 1);
    }

    private static int BucketStart(int bucket, double bucketSize) => (int)Math.Floor(bucket * bucketSize) + 1;

    /// <summary>The centroid of a bucket over its finite values; its mean x with y 0 when none is finite.</summary>
    private static (double X, double Y) Average(IReadOnlyList<double> xs, IReadOnlyList<double> ys, int start, int end)
    {
        double sumX = 0, sumY = 0, allX = 0;
        var count = 0;
        for (var i = start; i < end; i++)
        {
            allX += xs[i];
            if (double.IsFinite(ys[i]))
            {
                sumX += xs[i];
                sumY += ys[i];
                count++;
            }
        }

        return count > 0 ? (sumX / count, sumY / count) : (allX / Math.Max(1, end - start), 0);
    }
}
