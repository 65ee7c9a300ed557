using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Streaming.Contracts.Raw.V1;
using Streaming.Kafka;
using Streaming.Serialization;

namespace TakerVolume.Benchmarks.Kafka;

/// <summary>
/// Produces raw events keyed by symbol the way the ingest pods do: the project's producer configuration (idempotent,
/// acks=all, zstd, 5 ms linger, Java-compatible partitioner) and the registry-less Protobuf form with its type headers.
/// </summary>
internal sealed class RawEventProducer(KafkaOptions options, string clientId) : IDisposable
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(120);

    private readonly IProducer<string, RawEvent> _producer = new ProducerBuilder<string, RawEvent>(KafkaClientConfigs.Producer(options, clientId))
        .SetValueSerializer(new ProtobufSerializer<RawEvent>().AsSyncOverAsync())
        .Build();

    public void Produce(string topic, RawEvent value)
    {
        var message = new Message<string, RawEvent> { Key = value.Symbol, Value = value };
        while (true)
        {
            try
            {
                _producer.Produce(topic, message);
                return;
            }
            catch (ProduceException<string, RawEvent> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                _producer.Poll(TimeSpan.FromMilliseconds(20));
            }
        }
    }

    /// <summary>Waits until every record produced so far is acknowledged.</summary>
    public void Flush()
    {
        if (_producer.Flush(FlushTimeout) != 0)
        {
            throw new InvalidOperationException($"Raw events were not acknowledged within {FlushTimeout.TotalSeconds} s.");
        }
    }

    /// <summary>Produces <paramref name="events"/> and waits for all of them; returns how many.</summary>
    public long ProduceAll(string topic, IEnumerable<RawEvent> events)
    {
        long count = 0;
        foreach (var value in events)
        {
            Produce(topic, value);
            count++;
        }

        Flush();
        return count;
    }

    public void Dispose() => _producer.Dispose();
}
