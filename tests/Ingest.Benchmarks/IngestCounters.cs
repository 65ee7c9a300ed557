using System.Diagnostics.Metrics;

namespace Ingest.Benchmarks;

/// <summary>
/// The pod's own counters (meter <c>Streaming.Ingest</c>), read in-process with a <see cref="MeterListener"/>: every
/// measurement is added here as the pod records it, so a snapshot is exact at any instant.
/// </summary>
internal sealed class IngestCounters : IDisposable
{
    public const string Produced = "ingest.raw.produced";
    public const string FramesDropped = "ingest.frames.dropped";
    public const string BackPressureWaits = "ingest.kafka.backpressure.waits";
    public const string Gaps = "ingest.gaps.reported";
    public const string Backfilled = "ingest.backfill.trades";
    public const string Reconnects = "ingest.connections.reconnects";
    public const string Malformed = "ingest.frames.malformed";
    public const string DeliveryFailed = "ingest.raw.delivery.failed";
    public const string Lagging = "ingest.connection.lagging";

    private static readonly string[] Names = [Produced, FramesDropped, BackPressureWaits, Gaps, Backfilled, Reconnects, Malformed, DeliveryFailed, Lagging];

    private readonly long[] _values = new long[Names.Length];
    private readonly MeterListener _listener = new();

    public IngestCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            var index = Array.IndexOf(Names, instrument.Name);
            if (instrument.Meter.Name == "Streaming.Ingest" && index >= 0)
            {
                listener.EnableMeasurementEvents(instrument, index);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, state) => Interlocked.Add(ref _values[(int)state!], value));
        _listener.Start();
    }

    public Counts Take() => new([.. _values.Select((_, i) => Interlocked.Read(ref _values[i]))]);

    public void Dispose() => _listener.Dispose();

    /// <summary>The counters at one instant.</summary>
    internal sealed class Counts(long[] values)
    {
        public long this[string name] => values[Array.IndexOf(Names, name)];

        /// <summary>What each counter added since <paramref name="earlier"/>.</summary>
        public Counts Since(Counts earlier)
        {
            ArgumentNullException.ThrowIfNull(earlier);
            return new Counts([.. Names.Select(n => this[n] - earlier[n])]);
        }
    }
}
