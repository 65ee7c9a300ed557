using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Streaming.Hosting.Metrics;

/// <summary>
/// Listens to the instruments of the exported meters and renders them in the Prometheus text
/// format on demand. Exported meters are those whose names match a configured prefix and that
/// belong to this host: created through its <see cref="IMeterFactory"/>, or static meters
/// (such as the runtime's) that belong to no factory. The scope check keeps several hosts in
/// one process, as in tests, from exporting each other's measurements.
/// </summary>
internal sealed class PrometheusExporter(
    IMeterFactory meterFactory,
    IOptions<ServiceOptions> options,
    ILogger<PrometheusExporter> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, MetricStream> _streamsByName = new(StringComparer.Ordinal);

    // Serializes scrapes: observable instruments report into shared series during a scrape.
    private readonly Lock _scrapeLock = new();
    private MeterListener? _listener;
    private IReadOnlyList<string> _meterPrefixes = [];

    /// <summary>Starts listening; instruments that already exist are picked up too.</summary>
    public void Start()
    {
        _meterPrefixes = options.Value.Metrics.EffectiveMeterPrefixes;
        var listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = OnMeasurementsCompleted,
        };
        listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((MetricStream)state!).Record((double)value, tags));
        if (Interlocked.CompareExchange(ref _listener, listener, null) is not null)
        {
            listener.Dispose();
            return;
        }

        listener.Start();
    }

    /// <summary>Observes the observable instruments and renders every exported metric.</summary>
    public string Scrape()
    {
        var output = new StringBuilder();
        var writer = new PrometheusTextWriter(output);
        lock (_scrapeLock)
        {
            var streams = _streamsByName.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
            foreach (var stream in streams)
            {
                stream.BeginCollection();
            }

            try
            {
                Volatile.Read(ref _listener)?.RecordObservableInstruments();
            }
            catch (AggregateException exception)
            {
                Log.ObservableInstrumentFailed(logger, exception);
            }

            foreach (var stream in streams)
            {
                stream.WriteTo(writer);
            }
        }

        return output.ToString();
    }

    public void Dispose() => Interlocked.Exchange(ref _listener, null)?.Dispose();

    // Runs under the runtime's global instrument lock: keep it short and create no instruments.
    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        var meter = instrument.Meter;
        if ((meter.Scope is not null && !ReferenceEquals(meter.Scope, meterFactory))
            || !_meterPrefixes.Any(prefix => MatchesPrefix(meter.Name, prefix))
            || !InstrumentKinds.TryClassify(instrument, out var kind))
        {
            return;
        }

        var stream = new MetricStream(instrument, kind);
        var existing = _streamsByName.GetOrAdd(stream.Name, stream);
        if (!ReferenceEquals(existing, stream))
        {
            Log.MetricNameCollision(logger, instrument.Name, meter.Name, stream.Name, existing.Instrument.Meter.Name);
            return;
        }

        listener.EnableMeasurementEvents(instrument, stream);
    }

    // The meter was disposed (or the listener): free the name for an instrument that replaces it.
    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        if (state is MetricStream stream)
        {
            _streamsByName.TryRemove(new KeyValuePair<string, MetricStream>(stream.Name, stream));
        }
    }

    private static bool MatchesPrefix(string meterName, string prefix) =>
        meterName.StartsWith(prefix, StringComparison.Ordinal)
        && (meterName.Length == prefix.Length || meterName[prefix.Length] == '.');
}
