using Streaming.Processing.State;

namespace Streaming.Processing.Topology;

/// <summary>A checked, immutable topology; each task instantiates its processors and stores from it.</summary>
public sealed class Topology
{
    internal Topology(
        string applicationId,
        IReadOnlyList<SourceNode> sources,
        IReadOnlyDictionary<string, ProcessorNode> processors,
        IReadOnlyList<StoreDefinition> stores,
        IReadOnlyDictionary<string, SinkNode> sinks)
    {
        ApplicationId = applicationId;
        Sources = sources;
        Processors = processors;
        Stores = stores;
        Sinks = sinks;
    }

    public string ApplicationId { get; }

    internal IReadOnlyList<SourceNode> Sources { get; }

    internal IReadOnlyDictionary<string, ProcessorNode> Processors { get; }

    public IReadOnlyList<StoreDefinition> Stores { get; }

    internal IReadOnlyDictionary<string, SinkNode> Sinks { get; }

    /// <summary>The topic whose partitions the consumer group assigns; the other sources follow it by partition number.</summary>
    public string DrivingTopic => Sources[0].Topic;

    public IEnumerable<string> SourceTopics => Sources.Select(s => s.Topic);
}
