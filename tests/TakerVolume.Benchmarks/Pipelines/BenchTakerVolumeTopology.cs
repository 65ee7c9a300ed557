using Streaming.Serialization;
using TakerVolume.Configuration;
using TakerVolume.Topology;

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
/// The program's taker-volume topology (<see cref="TakerVolumeTopology.Build(TopologyNames, TakerVolumeOptions, TakerVolumeMetrics, ProtobufSerdes, string)"/>)
/// under the run's application id and output topics: the program's names are fixed per market, and every run here
/// needs a fresh group, fresh outputs and empty changelogs over the same input. The kline source keeps the catalog's
/// name, which the processor recognises klines by.
/// </summary>
internal static class BenchTakerVolumeTopology
{
    public static Streaming.Processing.Topology.Topology Build(TakerVolumeRunTopics names, TakerVolumeOptions options, TakerVolumeMetrics metrics, ProtobufSerdes serdes, string instanceId) =>
        TakerVolumeTopology.Build(
            new TopologyNames(names.ApplicationId, names.RawAggTrades, names.RawKlines, names.Normalized, names.Tumbling, names.Sliding, names.Alerts, names.Reconciliation, names.Gaps),
            options,
            metrics,
            serdes,
            instanceId);
}
