using Confluent.Kafka;

namespace Streaming.Testing;

/// <summary>Consuming helpers for tests: bounded by a deadline, never by a count of sleeps.</summary>
public static class KafkaTestExtensions
{
    /// <summary>Consumes until <paramref name="count"/> records arrived or the timeout passed; returns what arrived.</summary>
    public static List<ConsumeResult<TKey, TValue>> ConsumeUpTo<TKey, TValue>(this IConsumer<TKey, TValue> consumer, int count, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        var results = new List<ConsumeResult<TKey, TValue>>(count);
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (results.Count < count && deadline.Elapsed < timeout)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is not null)
            {
                results.Add(result);
            }
        }

        return results;
    }
}
