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

    public static Streaming.Processing.Topology.Topology Build(TakerVolumeOptions options, TakerVolumeMetrics metrics, ProtobufSerdes serdes, string instanceId)
    {
        var topics = new TakerVolumeTopics(options.Market);
        var settings = new TakerVolumeSettings(options);
        var applicationId = topics.ApplicationId;
        return new TopologyBuilder(applicationId)
            .AddSource(topics.RawAggTrades, Deserializers.Utf8, serdes.Deserializer<RawEvent>(), Processor)
            .AddSource(topics.RawKlines, Deserializers.Utf8, serdes.Deserializer<RawEvent>(), Processor)
            .AddProcessor(Processor, () => new TakerVolumeProcessor(settings, topics, metrics, instanceId), TakerVolumeStores.Dedup, TakerVolumeStores.Tumbling, TakerVolumeStores.Sliding)
            .AddStore(StoreDefinition.KeyValue(applicationId, TakerVolumeStores.Dedup, StateSerdes.Utf8, new SymbolDedupSerde(settings.MaxHolesPerSymbol)))
            .AddStore(StoreDefinition.Window(applicationId, TakerVolumeStores.Tumbling, StateSerdes.Utf8, TumblingWindowSerde.Instance))
            .AddStore(StoreDefinition.Window(applicationId, TakerVolumeStores.Sliding, StateSerdes.Utf8, SlidingSecondSerde.Instance))
            .AddSink(Sinks.Normalized, topics.Normalized, Serializers.Utf8, serdes.Serializer<AggTrade>().AsSyncOverAsync())
            .AddSink(Sinks.Tumbling, topics.Tumbling, Serializers.Utf8, serdes.Serializer<TakerVolumeWindow>().AsSyncOverAsync())
            .AddSink(Sinks.Sliding, topics.Sliding, Serializers.Utf8, serdes.Serializer<SlidingTakerVolume>().AsSyncOverAsync())
            .AddSink(Sinks.Alerts, topics.Alerts, Serializers.Utf8, serdes.Serializer<LargeTradeAlert>().AsSyncOverAsync())
            .AddSink(Sinks.Reconciliation, topics.Reconciliation, Serializers.Utf8, serdes.Serializer<WindowReconciliation>().AsSyncOverAsync())
            .AddSink(Sinks.Gaps, TakerVolumeTopics.FeedGaps, Serializers.Utf8, serdes.Serializer<FeedGap>().AsSyncOverAsync())
            .Build();
    }
}
