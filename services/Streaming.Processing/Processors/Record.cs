using Confluent.Kafka;

namespace Streaming.Processing.Processors;

/// <summary>A deserialized input record with where it came from; <see cref="Timestamp"/> (ms) drives stream time.</summary>
public readonly record struct Record<TKey, TValue>(TKey Key, TValue Value, long Timestamp, Headers? Headers, string Topic, int Partition, long Offset);
