using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Serialization;
using Streaming.Testing;

namespace TakerVolume.Tests.Crash;

/// <summary>One record as a downstream consumer reads it: the value's bytes (to compare repeats exactly) and its headers.</summary>
internal sealed record OutputRecord(string Topic, string Key, byte[] Value, Headers Headers, int Partition, long Offset);

/// <summary>
/// Reads topics of the embedded broker from the outside, as a downstream consumer would (read_committed, from the
/// beginning to the high watermark of every partition), and the processor group's committed positions.
/// </summary>
internal sealed class TopicReader(EmbeddedKafkaFixture kafka) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly IAdminClient _admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();

    public static T Decode<T>(OutputRecord record)
        where T : class, IMessage<T>, new() =>
        new ProtobufDeserializer<T>().Deserialize(record.Value, isNull: false, new SerializationContext(MessageComponentType.Value, record.Topic, record.Headers));

    /// <summary>Every record of <paramref name="topic"/>, partition by partition in offset order.</summary>
    public List<OutputRecord> ReadAll(string topic)
    {
        var group = "crash-reader-" + Guid.NewGuid().ToString("N");
        var config = kafka.ConsumerConfig(group, group);
        config.IsolationLevel = IsolationLevel.ReadCommitted;
        config.FetchWaitMaxMs = 20;
        using var consumer = new ConsumerBuilder<string, byte[]>(config).Build();
        var ends = new Dictionary<int, long>();
        var start = new List<TopicPartitionOffset>();
        foreach (var (partition, marks) in Watermarks(consumer, topic))
        {
            if (marks.High.Value > marks.Low.Value)
            {
                ends[partition] = marks.High.Value;
                start.Add(new TopicPartitionOffset(topic, partition, marks.Low));
            }
        }

        var records = new List<OutputRecord>();
        if (start.Count == 0)
        {
            return records;
        }

        consumer.Assign(start);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var done = new HashSet<int>();
        while (done.Count < ends.Count)
        {
            if (clock.Elapsed > Timeout)
            {
                throw new TimeoutException($"{topic}: read {records.Count} records, partitions {string.Join(',', ends.Keys.Except(done))} not to their end within {Timeout.TotalSeconds:0} s");
            }

            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { } result)
            {
                continue;
            }

            records.Add(new OutputRecord(topic, result.Message.Key, result.Message.Value, result.Message.Headers, result.Partition.Value, result.Offset.Value));
            if (result.Offset.Value + 1 >= ends[result.Partition.Value])
            {
                done.Add(result.Partition.Value);
            }
        }

        consumer.Close();
        return [.. records.OrderBy(r => r.Partition).ThenBy(r => r.Offset)];
    }

    /// <summary>Low and high watermark of every partition of <paramref name="topic"/>.</summary>
    public List<(int Partition, WatermarkOffsets Marks)> Watermarks(string topic)
    {
        var group = "crash-marks-" + Guid.NewGuid().ToString("N");
        using var consumer = new ConsumerBuilder<byte[], byte[]>(kafka.ConsumerConfig(group, group)).Build();
        return Watermarks(consumer, topic);
    }

    /// <summary>
    /// Records of <paramref name="topic"/> that group <paramref name="groupId"/> has not committed yet (high watermark
    /// minus committed offset, over all partitions): zero once every record was processed and made durable.
    /// </summary>
    public long Uncommitted(string groupId, string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(kafka.ConsumerConfig(groupId, "crash-offsets-" + Guid.NewGuid().ToString("N"))).Build();
        var marks = Watermarks(consumer, topic);
        var committed = consumer.Committed(marks.Select(m => new TopicPartition(topic, m.Partition)), Timeout)
            .ToDictionary(c => c.Partition.Value, c => c.Offset);
        return marks.Sum(m => m.Marks.High.Value - (committed[m.Partition] is { IsSpecial: false } offset ? offset.Value : m.Marks.Low.Value));
    }

    public void Dispose() => _admin.Dispose();

    private List<(int Partition, WatermarkOffsets Marks)> Watermarks<TKey, TValue>(IConsumer<TKey, TValue> consumer, string topic)
    {
        var partitions = _admin.GetMetadata(topic, Timeout).Topics[0].Partitions.Select(p => p.PartitionId).Order();
        return [.. partitions.Select(p => (p, consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), Timeout)))];
    }
}
