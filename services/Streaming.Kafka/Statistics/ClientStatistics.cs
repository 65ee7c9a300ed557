namespace Streaming.Kafka.Statistics;

/// <summary>The parts of one librdkafka statistics report (STATISTICS.md) exported as metrics.</summary>
internal sealed record ClientStatistics(
    string Name,
    string Type,
    long QueuedMessages,
    long QueuedBytes,
    long SentMessages,
    long SentBytes,
    long ReceivedMessages,
    long ReceivedBytes,
    long Rebalances,
    IReadOnlyList<BrokerStatistics> Brokers,
    IReadOnlyList<PartitionLag> Lags);

/// <summary>Round-trip times are reported by librdkafka in microseconds.</summary>
internal sealed record BrokerStatistics(string Name, bool Up, long RttAverageMicros, long RttP99Micros);

internal sealed record PartitionLag(string Topic, int Partition, long Lag);
