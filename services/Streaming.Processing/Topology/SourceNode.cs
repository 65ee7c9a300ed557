using Confluent.Kafka;
using Streaming.Processing.Processors;
using Streaming.Processing.Tasks;

namespace Streaming.Processing.Topology;

/// <summary>A source topic: turns raw records into typed ones for its processor; undecodable records go to the dead-letter topic.</summary>
internal abstract class SourceNode(string topic, string processor)
{
    public string Topic { get; } = topic;

    public string Processor { get; } = processor;

    public abstract bool Feeds(ProcessorNode processor);

    public abstract void Deliver(ConsumeResult<byte[]?, byte[]?> result, StreamTask task);
}

internal sealed class SourceNode<TKey, TValue>(string topic, IDeserializer<TKey> keyDeserializer, IDeserializer<TValue> valueDeserializer, string processor)
    : SourceNode(topic, processor)
{
    public override bool Feeds(ProcessorNode processor) => processor is ProcessorNode<TKey, TValue>;

    public override void Deliver(ConsumeResult<byte[]?, byte[]?> result, StreamTask task)
    {
        var message = result.Message;
        TKey key;
        TValue value;
        try
        {
            key = keyDeserializer.Deserialize(message.Key, message.Key is null, new SerializationContext(MessageComponentType.Key, Topic, message.Headers));
            value = valueDeserializer.Deserialize(message.Value, message.Value is null, new SerializationContext(MessageComponentType.Value, Topic, message.Headers));
        }
#pragma warning disable CA1031 // Any deserializer failure is the record's fault: it goes to the dead-letter topic and processing goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            task.DeadLetterUndecodable(result, e);
            return;
        }

        task.Invoke(Processor, new Record<TKey, TValue>(key, value, message.Timestamp.UnixTimestampMs, message.Headers, Topic, result.Partition.Value, result.Offset.Value));
    }
}
