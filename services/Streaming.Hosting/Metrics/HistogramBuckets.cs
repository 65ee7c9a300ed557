using System.Diagnostics.Metrics;
using System.Globalization;

namespace Streaming.Hosting.Metrics;

/// <summary>
/// The explicit bucket upper bounds of a histogram: the instrument's advice when it gives any,
/// otherwise a default suited to its unit.
/// </summary>
internal static class HistogramBuckets
{
    // OpenTelemetry's semantic-convention buckets for durations in seconds: 5 ms to 10 s.
    private static readonly double[] Seconds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    // Powers of 4 from 64 B to 64 MiB: message and batch sizes span several orders of magnitude.
    private static readonly double[] Bytes = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    // OpenTelemetry SDK's default, which suits milliseconds and small counts.
    private static readonly double[] Default = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    public static double[] For(Instrument instrument) =>
        FromAdvice(instrument) ?? instrument.Unit switch
        {
            "s" => Seconds,
            "By" => Bytes,
            _ => Default,
        };

    private static double[]? FromAdvice(Instrument instrument) => instrument switch
    {
        Instrument<double> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<float> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<long> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<int> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<short> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<byte> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<decimal> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        _ => null,
    };

    // InstrumentAdvice already guarantees the boundaries are strictly increasing.
    private static double[]? ToDoubles<T>(IReadOnlyList<T>? boundaries)
        where T : struct =>
        boundaries is { Count: > 0 }
            ? [.. boundaries.Select(b => Convert.ToDouble(b, CultureInfo.InvariantCulture))]
            : null;
}
