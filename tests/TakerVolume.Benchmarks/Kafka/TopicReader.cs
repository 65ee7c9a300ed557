using Confluent.Kafka;
using Streaming.Kafka;

namespace TakerVolume.Benchmarks.Kafka;

/// <summary>Reads a whole topic as it stands (every partition from its start to its end offset at the call), outside any group.</summary>
internal static class TopicReader
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Hands every record of <paramref name="topic"/> to <paramref name="onRecord"/>, partition by partition in offset order; returns how many.</summary>
    public static long ReadAll(BenchKafka kafka, string topic, Action<ConsumeResult<byte[]?, byte[]?>> onRecord)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(onRecord);
        var ends = kafka.EndOffsets(topic);
        var pending = new HashSet<int>(Enumerable.Range(0, ends.Length).Where(p => ends[p] > 0));
        if (pending.Count == 0)
        {
            return 0;
        }

        var group = "reader-" + Guid.NewGuid().ToString("N")[..8];
        var config = KafkaClientConfigs.Consumer(kafka.Options, group, group);
        config.FetchWaitMaxMs = 10;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Assign(pending.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long count = 0;
        while (pending.Count > 0)
        {
            if (clock.Elapsed > Timeout)
            {
                throw new TimeoutException($"{topic} was not read to its end within {Timeout.TotalMinutes} minutes.");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                continue;
            }

            onRecord(result);
            count++;
            if (result.Offset.Value + 1 >= ends[result.Partition.Value])
            {
                pending.Remove(result.Partition.Value);
            }
        }

        consumer.Close();
        return count;
    }
}
