using System.Diagnostics.Metrics;
using Streaming.Contracts.Ops.V1;

namespace Ingest;

/// <summary>The ingest pod's metrics (meter <c>Streaming.Ingest</c>, exported on /metrics).</summary>
internal sealed class IngestMetrics : IDisposable
{
    public const string MeterName = "Streaming.Ingest";

    private readonly Meter _meter;
    private readonly Counter<long> _produced;
    private readonly Counter<long> _deliveryFailures;
    private readonly Counter<long> _backPressure;
    private readonly Counter<long> _gaps;
    private readonly Counter<long> _gapIds;
    private readonly Counter<long> _gapFailures;
    private readonly Counter<long> _framesDropped;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _backfilled;
    private readonly Counter<long> _invalidRows;
    private readonly Counter<long> _malformed;
    private readonly Counter<long> _lagging;
    private readonly Histogram<double> _lag;

    public IngestMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _produced = _meter.CreateCounter<long>("ingest.raw.produced", description: "Raw events handed to the Kafka producer.");
        _deliveryFailures = _meter.CreateCounter<long>("ingest.raw.delivery.failed", description: "Raw events Kafka did not acknowledge.");
        _backPressure = _meter.CreateCounter<long>("ingest.kafka.backpressure.waits", description: "Waits because the producer queue was full.");
        _gaps = _meter.CreateCounter<long>("ingest.gaps.reported", description: "Feed gaps published, by kind.");
        _gapIds = _meter.CreateCounter<long>("ingest.gaps.ids", description: "Ids missing in reported gaps, by kind.");
        _gapFailures = _meter.CreateCounter<long>("ingest.gaps.delivery.failed", description: "Feed gaps Kafka did not take.");
        _framesDropped = _meter.CreateCounter<long>("ingest.frames.dropped", description: "Frames the socket loop could not hand over (pipeline full).");
        _reconnects = _meter.CreateCounter<long>("ingest.connections.reconnects", description: "Connections re-opened, by reason.");
        _backfilled = _meter.CreateCounter<long>("ingest.backfill.trades", description: "Aggregate trades published from REST backfill.");
        _invalidRows = _meter.CreateCounter<long>("ingest.backfill.invalid_rows", description: "REST rows Binance marks invalid (p=0, q=0, f=l=-1), dropped.");
        _malformed = _meter.CreateCounter<long>("ingest.frames.malformed", description: "Frames that were not valid JSON events (dropped; their ids are recovered or reported).");
        _lagging = _meter.CreateCounter<long>("ingest.connection.lagging", description: "Events that arrived later than Ingest:LagReportThreshold after their exchange time.");
        _lag = _meter.CreateHistogram<double>("ingest.event.lag", unit: "ms", description: "Receive time minus exchange event time.");
    }

    public void Dispose() => _meter.Dispose();

    public void RawProduced(string topic) => _produced.Add(1, new KeyValuePair<string, object?>("topic", topic));

    public void RawDeliveryFailed(string topic) => _deliveryFailures.Add(1, new KeyValuePair<string, object?>("topic", topic));

    public void BackPressureWait() => _backPressure.Add(1);

    public void GapReported(FeedGap gap)
    {
        ArgumentNullException.ThrowIfNull(gap);
        var kind = new KeyValuePair<string, object?>("kind", gap.Kind.ToString());
        _gaps.Add(1, kind);
        if (gap.MissingIds is { } ids)
        {
            _gapIds.Add(ids.Last - ids.First + 1, kind);
        }
    }

    public void GapDeliveryFailed() => _gapFailures.Add(1);

    public void FrameDropped() => _framesDropped.Add(1);

    public void Reconnected(string reason) => _reconnects.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void TradesBackfilled(int count) => _backfilled.Add(count);

    public void InvalidRowsDropped(int count) => _invalidRows.Add(count);

    public void MalformedFrame() => _malformed.Add(1);

    /// <summary>Receive time minus the exchange's event time: how far behind the pod is, per market and stream kind.</summary>
    public void EventLag(Streaming.Contracts.Common.V1.Market market, Routing.FrameKind kind, double milliseconds) =>
        _lag.Record(
            milliseconds,
            new KeyValuePair<string, object?>("market", market == Streaming.Contracts.Common.V1.Market.UsdmFutures ? "usdm" : "spot"),
            new KeyValuePair<string, object?>("stream", kind switch
            {
                Routing.FrameKind.AggTrade => "aggTrade",
                Routing.FrameKind.DepthUpdate => "depth",
                Routing.FrameKind.Kline => "kline",
                _ => "other",
            }));

    public void ConnectionLagging() => _lagging.Add(1);
}
