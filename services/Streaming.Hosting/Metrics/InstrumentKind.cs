using System.Diagnostics.Metrics;

namespace Streaming.Hosting.Metrics;

/// <summary>What an instrument measures, which decides its aggregation and Prometheus type.</summary>
internal enum InstrumentKind
{
    /// <summary>Monotonic sum (Counter, ObservableCounter): Prometheus counter, name ends in <c>_total</c>.</summary>
    Counter,

    /// <summary>Non-monotonic sum (UpDownCounter, ObservableUpDownCounter): Prometheus gauge.</summary>
    UpDownCounter,

    /// <summary>Last value (Gauge, ObservableGauge): Prometheus gauge.</summary>
    Gauge,

    /// <summary>Distribution (Histogram): Prometheus histogram with explicit buckets.</summary>
    Histogram,
}

/// <summary>Classifies instruments by their generic type definition.</summary>
internal static class InstrumentKinds
{
    private static readonly Dictionary<Type, InstrumentKind> KindsByDefinition = new()
    {
        [typeof(Counter<>)] = InstrumentKind.Counter,
        [typeof(ObservableCounter<>)] = InstrumentKind.Counter,
        [typeof(UpDownCounter<>)] = InstrumentKind.UpDownCounter,
        [typeof(ObservableUpDownCounter<>)] = InstrumentKind.UpDownCounter,
        [typeof(Gauge<>)] = InstrumentKind.Gauge,
        [typeof(ObservableGauge<>)] = InstrumentKind.Gauge,
        [typeof(Histogram<>)] = InstrumentKind.Histogram,
    };

    /// <summary>The kind of a built-in instrument; false for instrument types this exporter does not know.</summary>
    public static bool TryClassify(Instrument instrument, out InstrumentKind kind)
    {
        var type = instrument.GetType();
        kind = default;
        return type.IsGenericType && KindsByDefinition.TryGetValue(type.GetGenericTypeDefinition(), out kind);
    }

    public static string PrometheusType(this InstrumentKind kind) => kind switch
    {
        InstrumentKind.Counter => "counter",
        InstrumentKind.Histogram => "histogram",
        _ => "gauge",
    };
}
