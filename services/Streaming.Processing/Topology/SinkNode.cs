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
    // The serializers see the record's headers, as with Confluent's producer: a registry-less Protobuf serializer names
    // the message type there.
    public byte[] SerializeKey(TKey key, Headers headers) => keySerializer.Serialize(key, new SerializationContext(MessageComponentType.Key, Topic, headers));

    public byte[] SerializeValue(TValue value, Headers headers) => valueSerializer.Serialize(value, new SerializationContext(MessageComponentType.Value, Topic, headers));
}
