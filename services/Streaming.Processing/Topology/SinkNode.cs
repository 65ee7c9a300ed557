using Confluent.Kafka;

namespace Streaming.Processing.Topology;

/// <summary>An output topic and how its keys and values become bytes.</summary>
internal abstract class SinkNode(string name, string topic)
{
    public string Name { get; } = name;

    public string Topic { get; } = topic;
}

internal sealed class SinkNode<TKey, TValue>(string name, string topic, ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer)
    : SinkNode(name, topic)
{
    public byte[] SerializeKey(TKey key) => keySerializer.Serialize(key, new SerializationContext(MessageComponentType.Key, Topic));

    public byte[] SerializeValue(TValue value) => valueSerializer.Serialize(value, new SerializationContext(MessageComponentType.Value, Topic));
}
