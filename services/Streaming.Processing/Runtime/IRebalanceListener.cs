using Confluent.Kafka;

namespace Streaming.Processing.Runtime;

/// <summary>The group consumer's rebalance callbacks, called on the stream thread from inside Consume.</summary>
internal interface IRebalanceListener
{
    void OnAssigned(IReadOnlyList<TopicPartition> partitions);

    void OnRevoked(IReadOnlyList<TopicPartition> partitions);

    void OnLost(IReadOnlyList<TopicPartition> partitions);
}
