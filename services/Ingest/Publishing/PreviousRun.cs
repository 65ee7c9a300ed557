using Confluent.Kafka;
using Streaming.Contracts.Raw.V1;
using Streaming.Kafka;
using Streaming.Serialization;
using Streaming.Topics;

namespace Ingest.Publishing;

/// <summary>
/// Until when the previous run of this instance (a StatefulSet pod keeps its name across restarts) published
/// aggregate trades: the newest receive time among the last records of each partition of the raw topic that
/// carry its instance id. A restarted pod fetches what traded since then, so a restart or a rolling update
/// loses nothing; without a previous run (first start, or its records already aged out) it starts fresh.
/// </summary>
internal static class PreviousRun
{
    public static long? LastPublishedMs(KafkaClientFactory kafka, ProtobufSerdes serdes, string topic, string instanceId, int tailPerPartition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(serdes);
        var partitions = TopicCatalog.LoadDefault().Topics.FirstOrDefault(t => t.Name == topic)?.Partitions ?? 1;
        using var consumer = kafka
            .CreateConsumerBuilder<string, RawEvent>("ingest-tail-" + Guid.NewGuid().ToString("N"), instanceId + "-tail")
            .SetValueDeserializer(serdes.Deserializer<RawEvent>())
            .Build();
        var remaining = new Dictionary<int, long>();
        var assignment = new List<TopicPartitionOffset>();
        for (var partition = 0; partition < partitions; partition++)
        {
            var topicPartition = new TopicPartition(topic, partition);
            var marks = consumer.QueryWatermarkOffsets(topicPartition, timeout);
            if (marks.High > marks.Low)
            {
                assignment.Add(new TopicPartitionOffset(topicPartition, Math.Max(marks.Low, marks.High - tailPerPartition)));
                remaining[partition] = marks.High;
            }
        }

        if (assignment.Count == 0)
        {
            return null;
        }

        consumer.Assign(assignment);
        long? newestUs = null;
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (remaining.Count > 0 && deadline.Elapsed < timeout)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (record is null)
            {
                continue;
            }

            if (record.Message.Value.IngestInstanceId == instanceId)
            {
                newestUs = Math.Max(newestUs ?? 0, record.Message.Value.ReceivedAtUs);
            }

            if (record.Offset.Value + 1 >= remaining.GetValueOrDefault(record.Partition.Value))
            {
                remaining.Remove(record.Partition.Value);
            }
        }

        return newestUs / 1000;
    }
}
