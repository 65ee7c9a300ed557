using System.Globalization;
using Confluent.Kafka;
using Streaming.Testing;

namespace Streaming.Kafka.Tests;

/// <summary>Producer and consumer group round trips through the embedded broker, with the project's client defaults.</summary>
public sealed class RoundTripTests(EmbeddedKafkaFixture kafka) : IClassFixture<EmbeddedKafkaFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ProduceThenConsume_GroupOfOne_ReceivesEveryRecordOnceInKeyOrder()
    {
        var topic = kafka.CreateTopic("roundtrip", partitions: 6, replicationFactor: 3);
        var sent = await ProduceAsync(topic, keys: 50, perKey: 40);

        using var consumer = new ConsumerBuilder<string, string>(kafka.ConsumerConfig("roundtrip-group")).Build();
        consumer.Subscribe(topic);
        var received = consumer.ConsumeUpTo(sent.Count, Timeout);
        consumer.Close();

        Assert.Equal(sent.Count, received.Count);
        Assert.Equal(sent.Count, received.Select(r => r.Message.Value).Distinct().Count());
        // Kafka orders records per partition, and a key always maps to one partition: order per key survives.
        foreach (var byKey in received.GroupBy(r => r.Message.Key))
        {
            var sequence = byKey.Select(r => int.Parse(r.Message.Value.Split('/')[1], CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, 40), sequence);
            Assert.Single(byKey.Select(r => r.Partition.Value).Distinct());
        }
    }

    [Fact]
    public async Task CommittedOffsets_NewConsumerInSameGroup_ResumesAfterThem()
    {
        var topic = kafka.CreateTopic("resume", partitions: 3, replicationFactor: 3);
        var sent = await ProduceAsync(topic, keys: 10, perKey: 60);
        const string Group = "resume-group";

        List<ConsumeResult<string, string>> first;
        using (var consumer = new ConsumerBuilder<string, string>(kafka.ConsumerConfig(Group, "first")).Build())
        {
            consumer.Subscribe(topic);
            first = consumer.ConsumeUpTo(250, Timeout);
            Assert.Equal(250, first.Count);
            // Commit exactly what was processed: the next offset after each partition's last record.
            var positions = first.GroupBy(r => r.TopicPartition)
                .Select(g => new TopicPartitionOffset(g.Key, g.Max(r => r.Offset.Value) + 1))
                .ToList();
            consumer.Commit(positions);
            consumer.Close();
        }

        using var second = new ConsumerBuilder<string, string>(kafka.ConsumerConfig(Group, "second")).Build();
        second.Subscribe(topic);
        var rest = second.ConsumeUpTo(sent.Count - first.Count, Timeout);
        // Nothing more must arrive: a short extra poll shows no record is delivered twice.
        var extra = second.ConsumeUpTo(1, TimeSpan.FromMilliseconds(500));
        second.Close();

        Assert.Empty(extra);
        var all = first.Concat(rest).Select(r => r.Message.Value).ToList();
        Assert.Equal(sent.Count, all.Count);
        Assert.Equal(sent.OrderBy(v => v, StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
    }

    private async Task<List<string>> ProduceAsync(string topic, int keys, int perKey)
    {
        using var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build();
        var sent = new List<string>(keys * perKey);
        var deliveries = new List<Task<DeliveryResult<string, string>>>(keys * perKey);
        for (var i = 0; i < perKey; i++)
        {
            for (var k = 0; k < keys; k++)
            {
                var value = $"SYM{k}USDT/{i}";
                sent.Add(value);
                deliveries.Add(producer.ProduceAsync(topic, new Message<string, string> { Key = $"SYM{k}USDT", Value = value }));
            }
        }

        var results = await Task.WhenAll(deliveries);
        Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
        return sent;
    }
}
