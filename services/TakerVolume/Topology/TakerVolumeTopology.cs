using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Market.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Contracts.Raw.V1;
using Streaming.Processing.State;
using Streaming.Processing.Topology;
using Streaming.Serialization;
using TakerVolume.Configuration;
using TakerVolume.Dedup;
using TakerVolume.Sliding;
using TakerVolume.Windows;

namespace TakerVolume.Topology;

/// <summary>
/// The taker-volume topology of one market: raw aggTrades (driving) and raw 15-minute klines (co-partitioned, same
/// task) → one processor with the dedup, tumbling and sliding stores → normalized trades, tumbling windows, trailing
/// windows, alerts, reconciliations and feed gaps.
/// </summary>
internal static class TakerVolumeTopology
{
    public const string Processor = "taker-volume";

    public static Streaming.Processing.Topology.Topology Build(TakerVolumeOptions options, TakerVolumeMetrics metrics, ProtobufSerdes serdes, string instanceId) =>
        Build(TopologyNames.Of(new TakerVolumeTopics(options.Market)), options, metrics, serdes, instanceId);

    /// <summary>
    /// The same topology under other names: the program uses the catalog's; a benchmark gives each run its own application
    /// id and outputs over the same input, and so measures this very topology rather than a copy of it.
    /// </summary>
    public static Streaming.Processing.Topology.Topology Build(TopologyNames names, TakerVolumeOptions options, TakerVolumeMetrics metrics, ProtobufSerdes serdes, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(names);
        var topics = new TakerVolumeTopics(options.Market);
        var settings = new TakerVolumeSettings(options);
        var applicationId = names.ApplicationId;
        return new TopologyBuilder(applicationId)
            .AddSource(names.RawAggTrades, Deserializers.Utf8, serdes.Deserializer<RawEvent>(), Processor)
            .AddSource(names.RawKlines, Deserializers.Utf8, serdes.Deserializer<RawEvent>(), Processor)
            .AddProcessor(Processor, () => new TakerVolumeProcessor(settings, topics, metrics, instanceId), TakerVolumeStores.Dedup, TakerVolumeStores.Tumbling, TakerVolumeStores.Sliding)
            .AddStore(StoreDefinition.KeyValue(applicationId, TakerVolumeStores.Dedup, StateSerdes.Utf8, new SymbolDedupSerde(settings.MaxHolesPerSymbol)))
            .AddStore(StoreDefinition.Window(applicationId, TakerVolumeStores.Tumbling, StateSerdes.Utf8, TumblingWindowSerde.Instance))
            .AddStore(StoreDefinition.Window(applicationId, TakerVolumeStores.Sliding, StateSerdes.Utf8, SlidingSecondSerde.Instance))
            .AddSink(Sinks.Normalized, names.Normalized, Serializers.Utf8, serdes.Serializer<AggTrade>().AsSyncOverAsync())
            .AddSink(Sinks.Tumbling, names.Tumbling, Serializers.Utf8, serdes.Serializer<TakerVolumeWindow>().AsSyncOverAsync())
            .AddSink(Sinks.Sliding, names.Sliding, Serializers.Utf8, serdes.Serializer<SlidingTakerVolume>().AsSyncOverAsync())
            .AddSink(Sinks.Alerts, names.Alerts, Serializers.Utf8, serdes.Serializer<LargeTradeAlert>().AsSyncOverAsync())
            .AddSink(Sinks.Reconciliation, names.Reconciliation, Serializers.Utf8, serdes.Serializer<WindowReconciliation>().AsSyncOverAsync())
            .AddSink(Sinks.Gaps, names.Gaps, Serializers.Utf8, serdes.Serializer<FeedGap>().AsSyncOverAsync())
            .Build();
    }
}

/// <summary>The application id (group, changelog prefix) and the topics a taker-volume topology reads and writes.</summary>
internal sealed record TopologyNames(
    string ApplicationId, string RawAggTrades, string RawKlines, string Normalized, string Tumbling, string Sliding, string Alerts, string Reconciliation, string Gaps)
{
    public static TopologyNames Of(TakerVolumeTopics topics) => new(
        topics.ApplicationId, topics.RawAggTrades, topics.RawKlines, topics.Normalized, topics.Tumbling, topics.Sliding, topics.Alerts, topics.Reconciliation, TakerVolumeTopics.FeedGaps);
}
