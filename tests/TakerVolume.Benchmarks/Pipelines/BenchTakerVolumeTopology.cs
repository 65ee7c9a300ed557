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
using TakerVolume.Topology;
using TakerVolume.Windows;

namespace TakerVolume.Benchmarks.Pipelines;

/// <summary>The topics of one taker-volume run: its own application id (group, changelog prefix) and outputs.</summary>
internal sealed record TakerVolumeRunTopics(
    string ApplicationId, string RawAggTrades, string RawKlines, string Normalized, string Tumbling, string Sliding, string Alerts, string Reconciliation, string Gaps, string DeadLetter)
{
    public string Changelog(string store) => $"{ApplicationId}-{store}-changelog";

    public IReadOnlyDictionary<string, string> Outputs => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["normalized"] = Normalized,
        ["tumbling"] = Tumbling,
        ["sliding"] = Sliding,
        ["alerts"] = Alerts,
        ["reconciliation"] = Reconciliation,
        ["gaps"] = Gaps,
        ["dead letters"] = DeadLetter,
    };

    public IReadOnlyDictionary<string, string> Changelogs => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [TakerVolumeStores.Dedup] = Changelog(TakerVolumeStores.Dedup),
        [TakerVolumeStores.Tumbling] = Changelog(TakerVolumeStores.Tumbling),
        [TakerVolumeStores.Sliding] = Changelog(TakerVolumeStores.Sliding),
    };
}

/// <summary>
/// The taker-volume topology exactly as <see cref="TakerVolumeTopology.Build"/> declares it (the same processor,
/// stores, serdes and sinks, node for node), but with the run's application id and output topics: the program's names
/// are fixed per market, and every run here needs a fresh group, fresh outputs and empty changelogs over the same
/// input. The kline source keeps the catalog's name, which the processor recognises klines by.
/// </summary>
internal static class BenchTakerVolumeTopology
{
    public static Streaming.Processing.Topology.Topology Build(TakerVolumeRunTopics names, TakerVolumeOptions options, TakerVolumeMetrics metrics, ProtobufSerdes serdes, string instanceId)
    {
        var topics = new TakerVolumeTopics(options.Market);
        var settings = new TakerVolumeSettings(options);
        var applicationId = names.ApplicationId;
        return new TopologyBuilder(applicationId)
            .AddSource(names.RawAggTrades, Deserializers.Utf8, serdes.Deserializer<RawEvent>(), TakerVolumeTopology.Processor)
            .AddSource(names.RawKlines, Deserializers.Utf8, serdes.Deserializer<RawEvent>(), TakerVolumeTopology.Processor)
            .AddProcessor(TakerVolumeTopology.Processor, () => new TakerVolumeProcessor(settings, topics, metrics, instanceId), TakerVolumeStores.Dedup, TakerVolumeStores.Tumbling, TakerVolumeStores.Sliding)
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
