using Confluent.Kafka;
using Streaming.Processing.CountingApp;
using Streaming.Processing.Idempotence;

namespace Streaming.Processing.Tests.Chaos;

/// <summary>
/// A downstream reader of the output topic that keeps up as it grows: the deduplicated latest value per key, read
/// incrementally, to see cheaply when a run has converged (the final check reads everything again from scratch).
/// </summary>
internal sealed class OutputFollower : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly OutputDeduplicator<string> _dedup = new(StringComparer.Ordinal);

    public OutputFollower(string bootstrapServers, string topic, int partitions)
    {
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "chaos-follower-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            FetchWaitMaxMs = 50,
        }).Build();
        _consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
    }

    public Dictionary<string, (long Total, long Count)> Latest { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads what arrived since the last call (until nothing comes for a moment).</summary>
    public void CatchUp()
    {
        while (_consumer.Consume(TimeSpan.FromMilliseconds(300)) is { } result)
        {
            var key = System.Text.Encoding.UTF8.GetString(result.Message.Key!);
            if (_dedup.Offer(key, result.Message.Headers) == Decision.Accept)
            {
                Latest[key] = CountingTopology.ParseOutput(result.Message.Value!);
            }
        }
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
