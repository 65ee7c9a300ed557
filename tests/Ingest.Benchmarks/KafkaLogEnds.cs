using Confluent.Kafka;
using Streaming.Topics;

namespace Ingest.Benchmarks;

/// <summary>
/// Records the brokers hold: the sum of the high watermarks of a topic's partitions (one ListOffsets request per
/// partition). What reached Kafka, acknowledged, as opposed to what the pod handed to its producer's queue.
/// </summary>
internal sealed class KafkaLogEnds : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly IConsumer<Ignore, Ignore> _consumer;
    private readonly IReadOnlyList<TopicSpec> _topics;

    public KafkaLogEnds(string bootstrapServers, IReadOnlyList<TopicSpec> topics)
    {
        _topics = topics;
        _consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "ingest-benchmark-watermarks",
            ClientId = "ingest-benchmark-watermarks",
            EnableAutoCommit = false,
        }).Build();
    }

    /// <summary>Records per topic now.</summary>
    public Dictionary<string, long> Query()
    {
        var ends = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var topic in _topics)
        {
            long sum = 0;
            for (var partition = 0; partition < topic.Partitions; partition++)
            {
                sum += _consumer.QueryWatermarkOffsets(new TopicPartition(topic.Name, partition), Timeout).High.Value;
            }

            ends[topic.Name] = sum;
        }

        return ends;
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
