using Confluent.Kafka;
using Streaming.Processing.Processors;
using Streaming.Processing.State;

namespace Streaming.Processing.Topology;

/// <summary>
/// Declares a topology: sources (topics read), processors (named nodes with the stores they use), stores and sinks
/// (topics written). All sources must be co-partitioned (same partition count, same key): partition N of every
/// source is one task. <see cref="Build"/> checks every name.
/// </summary>
public sealed class TopologyBuilder
{
    private readonly List<SourceNode> _sources = [];
    private readonly Dictionary<string, ProcessorNode> _processors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoreDefinition> _stores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SinkNode> _sinks = new(StringComparer.Ordinal);

    public TopologyBuilder(string applicationId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(applicationId);
        ApplicationId = applicationId;
    }

    /// <summary>Kafka Streams' application.id: the consumer group, and the prefix of changelog topics.</summary>
    public string ApplicationId { get; }

    /// <summary>Reads <paramref name="topic"/>; each record goes to <paramref name="processor"/>. A record that fails to deserialize goes to the dead-letter topic.</summary>
    public TopologyBuilder AddSource<TKey, TValue>(string topic, IDeserializer<TKey> keyDeserializer, IDeserializer<TValue> valueDeserializer, string processor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(keyDeserializer);
        ArgumentNullException.ThrowIfNull(valueDeserializer);
        ArgumentException.ThrowIfNullOrWhiteSpace(processor);
        if (_sources.Exists(s => string.Equals(s.Topic, topic, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"Topic {topic} is already a source.");
        }

        _sources.Add(new SourceNode<TKey, TValue>(topic, keyDeserializer, valueDeserializer, processor));
        return this;
    }

    /// <summary>A processor created once per task by <paramref name="factory"/>, allowed to use <paramref name="stores"/>.</summary>
    public TopologyBuilder AddProcessor<TKey, TValue>(string name, Func<IProcessor<TKey, TValue>> factory, params string[] stores)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(stores);
        if (!_processors.TryAdd(name, new ProcessorNode<TKey, TValue>(name, factory, stores)))
        {
            throw new InvalidOperationException($"Processor {name} is already declared.");
        }

        return this;
    }

    public TopologyBuilder AddStore(StoreDefinition store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!_stores.TryAdd(store.Name, store))
        {
            throw new InvalidOperationException($"Store {store.Name} is already declared.");
        }

        return this;
    }

    /// <summary>Writes to <paramref name="topic"/>, partitioned by key (the Java client's murmur2, so other clients agree).</summary>
    public TopologyBuilder AddSink<TKey, TValue>(string name, string topic, ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(keySerializer);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        if (!_sinks.TryAdd(name, new SinkNode<TKey, TValue>(name, topic, keySerializer, valueSerializer)))
        {
            throw new InvalidOperationException($"Sink {name} is already declared.");
        }

        return this;
    }

    public Topology Build()
    {
        if (_sources.Count == 0)
        {
            throw new InvalidOperationException("A topology needs at least one source.");
        }

        foreach (var source in _sources)
        {
            if (!_processors.TryGetValue(source.Processor, out var processor))
            {
                throw new InvalidOperationException($"Source {source.Topic} feeds processor {source.Processor}, which is not declared.");
            }

            if (!source.Feeds(processor))
            {
                throw new InvalidOperationException($"Source {source.Topic} and processor {source.Processor} disagree on key and value types.");
            }
        }

        foreach (var processor in _processors.Values)
        {
            foreach (var store in processor.Stores)
            {
                if (!_stores.ContainsKey(store))
                {
                    throw new InvalidOperationException($"Processor {processor.Name} uses store {store}, which is not declared.");
                }
            }
        }

        var changelogs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var store in _stores.Values)
        {
            if (!changelogs.Add(store.ChangelogTopic))
            {
                throw new InvalidOperationException($"Two stores share the changelog {store.ChangelogTopic}.");
            }
        }

        return new Topology(ApplicationId, [.. _sources], new Dictionary<string, ProcessorNode>(_processors, StringComparer.Ordinal),
            [.. _stores.Values], new Dictionary<string, SinkNode>(_sinks, StringComparer.Ordinal));
    }
}
