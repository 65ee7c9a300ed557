namespace Streaming.Hosting.Metrics;

/// <summary>
/// The aggregated state of one instrument for one tag set. Recording is lock-free and safe from
/// any number of threads; reads during recording see a recent, possibly partial, state, which
/// Prometheus tolerates.
/// </summary>
internal abstract class Series(KeyValuePair<string, object?>[] tags)
{
    /// <summary>The series' labels as rendered inside braces, computed once rather than per scrape.</summary>
    public string Labels { get; } = PrometheusTextWriter.FormatLabels(tags);

    public abstract void Record(long value);

    public abstract void Record(double value);

    /// <summary>Writes the series' samples of the metric family <paramref name="name"/>.</summary>
    public abstract void WriteTo(PrometheusTextWriter writer, string name);
}

/// <summary>A running sum (counters, up-down counters). Integers are summed exactly.</summary>
internal sealed class SumSeries(KeyValuePair<string, object?>[] tags) : Series(tags)
{
    private long _integerSum;
    private double _floatingSum;

    public override void Record(long value) => Interlocked.Add(ref _integerSum, value);

    public override void Record(double value) => AtomicDouble.Add(ref _floatingSum, value);

    public override void WriteTo(PrometheusTextWriter writer, string name)
    {
        // An instrument records either integers or floating-point values, never both.
        var floatingSum = Volatile.Read(ref _floatingSum);
        if (floatingSum == 0)
        {
            writer.WriteSample(name, Labels, Interlocked.Read(ref _integerSum));
        }
        else
        {
            writer.WriteSample(name, Labels, Interlocked.Read(ref _integerSum) + floatingSum);
        }
    }
}

/// <summary>The last value recorded (gauges, and every observable instrument, which reports totals itself).</summary>
internal sealed class LastValueSeries(KeyValuePair<string, object?>[] tags) : Series(tags)
{
    private long _integerValue;
    private double _floatingValue;
    private int _isFloating;

    public override void Record(long value)
    {
        Interlocked.Exchange(ref _integerValue, value);
        Volatile.Write(ref _isFloating, 0);
    }

    public override void Record(double value)
    {
        Interlocked.Exchange(ref _floatingValue, value);
        Volatile.Write(ref _isFloating, 1);
    }

    public override void WriteTo(PrometheusTextWriter writer, string name)
    {
        if (Volatile.Read(ref _isFloating) == 1)
        {
            writer.WriteSample(name, Labels, Volatile.Read(ref _floatingValue));
        }
        else
        {
            writer.WriteSample(name, Labels, Interlocked.Read(ref _integerValue));
        }
    }
}

/// <summary>Counts per explicit bucket plus the sum of the recorded values.</summary>
internal sealed class HistogramSeries(KeyValuePair<string, object?>[] tags, double[] upperBounds) : Series(tags)
{
    // One more than the bounds: the last bucket holds values above the highest bound (+Inf).
    private readonly long[] _bucketCounts = new long[upperBounds.Length + 1];
    private double _sum;

    public override void Record(long value) => Record((double)value);

    public override void Record(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        // Prometheus buckets are inclusive upper bounds ("le"): a value equal to a bound counts in it.
        var index = Array.BinarySearch(upperBounds, value);
        Interlocked.Increment(ref _bucketCounts[index >= 0 ? index : ~index]);
        AtomicDouble.Add(ref _sum, value);
    }

    public override void WriteTo(PrometheusTextWriter writer, string name)
    {
        long cumulative = 0;
        for (var i = 0; i < upperBounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref _bucketCounts[i]);
            writer.WriteBucket(name, Labels, upperBounds[i], cumulative);
        }

        // The count is the +Inf bucket, so the two always agree even while values are recorded.
        cumulative += Interlocked.Read(ref _bucketCounts[^1]);
        writer.WriteBucket(name, Labels, double.PositiveInfinity, cumulative);
        writer.WriteSample($"{name}_sum", Labels, Volatile.Read(ref _sum));
        writer.WriteSample($"{name}_count", Labels, cumulative);
    }
}
