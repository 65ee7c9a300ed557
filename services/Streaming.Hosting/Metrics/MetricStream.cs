using System.Diagnostics.Metrics;

namespace Streaming.Hosting.Metrics;

/// <summary>
/// Everything exported for one instrument: its Prometheus name, type and help, and its series.
/// </summary>
internal sealed class MetricStream
{
    private readonly SeriesTable _series;

    public MetricStream(Instrument instrument, InstrumentKind kind)
    {
        Instrument = instrument;
        Kind = kind;
        Name = PrometheusNaming.GetMetricName(instrument.Name, instrument.Unit, kind);
        Help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
        _series = new SeriesTable(CreateSeriesFactory(instrument, kind));
    }

    public Instrument Instrument { get; }

    public InstrumentKind Kind { get; }

    public string Name { get; }

    public string Help { get; }

    public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.Get(tags).Record(value);

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.Get(tags).Record(value);

    /// <summary>
    /// Called before observable instruments are observed: their callbacks report every current
    /// series afresh, so series they stopped reporting must disappear rather than linger.
    /// </summary>
    public void BeginCollection()
    {
        if (Instrument.IsObservable)
        {
            _series.Clear();
        }
    }

    public void WriteTo(PrometheusTextWriter writer)
    {
        var series = _series.All.OrderBy(s => s.Labels, StringComparer.Ordinal).ToList();
        if (series.Count == 0)
        {
            return;
        }

        writer.WriteHeader(Name, Help, Kind.PrometheusType());
        foreach (var item in series)
        {
            item.WriteTo(writer, Name);
        }
    }

    private static Func<KeyValuePair<string, object?>[], Series> CreateSeriesFactory(Instrument instrument, InstrumentKind kind)
    {
        if (kind == InstrumentKind.Histogram)
        {
            var upperBounds = HistogramBuckets.For(instrument);
            return tags => new HistogramSeries(tags, upperBounds);
        }

        // Observable counters report their running total, not increments: keep the last report.
        return instrument.IsObservable || kind == InstrumentKind.Gauge
            ? tags => new LastValueSeries(tags)
            : tags => new SumSeries(tags);
    }
}
