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
    private readonly Counter<long> _gapsReceived;
    private readonly Counter<long> _gapsAccepted;
    private readonly Counter<long> _gapsIgnored;
    private readonly Counter<long> _gapRequests;
    private readonly Counter<long> _gapIdsRequested;
    private readonly Counter<long> _gapIdsOverCap;

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
        _gapsReceived = _meter.CreateCounter<long>("ingest.gap_backfill.received", description: "Feed gap records read from the gap topic, by market of the listener.");
        _gapsAccepted = _meter.CreateCounter<long>("ingest.gap_backfill.accepted", description: "Feed gaps of other services taken for REST backfill.");
        _gapsIgnored = _meter.CreateCounter<long>("ingest.gap_backfill.ignored", description: "Feed gap records not backfilled, by reason.");
        _gapRequests = _meter.CreateCounter<long>("ingest.gap_backfill.requests", description: "Backfill requests enqueued for feed gaps of other services.");
        _gapIdsRequested = _meter.CreateCounter<long>("ingest.gap_backfill.ids", description: "Aggregate ids requested for feed gaps of other services.");
        _gapIdsOverCap = _meter.CreateCounter<long>("ingest.gap_backfill.ids_over_cap", description: "Aggregate ids of feed gaps beyond Ingest:GapBackfill:MaxIdsPerGap, not fetched.");
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

    public void GapReceived(string market) => _gapsReceived.Add(1, new KeyValuePair<string, object?>("market", market));

    public void GapAccepted(string market) => _gapsAccepted.Add(1, new KeyValuePair<string, object?>("market", market));

    public void GapIgnored(string market, string reason) =>
        _gapsIgnored.Add(1, new KeyValuePair<string, object?>("market", market), new KeyValuePair<string, object?>("reason", reason));

    public void GapRequestEnqueued(string market, long ids)
    {
        var tag = new KeyValuePair<string, object?>("market", market);
        _gapRequests.Add(1, tag);
        _gapIdsRequested.Add(ids, tag);
    }

    public void GapIdsOverCap(string market, long ids) => _gapIdsOverCap.Add(ids, new KeyValuePair<string, object?>("market", market));
}
