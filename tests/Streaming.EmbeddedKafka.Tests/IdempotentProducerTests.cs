using Confluent.Kafka;
using Streaming.Testing;

namespace Streaming.EmbeddedKafka.Tests;

/// <summary>
/// Pins eng/librdkafka-patches/0002: the embedded broker checks an idempotent producer's sequence numbers as Apache
/// Kafka does. The stock mock checks them only for transactional producers, so it appends a batch that skips an
/// earlier one it refused; librdkafka then counts the later batch's success as the earlier one's acknowledgement
/// (its implicit ack) and reports records delivered that were never written.
/// </summary>
public sealed class IdempotentProducerTests(ITestOutputHelper output)
{
    private const int FirstBatch = 3;
    private const int SecondBatch = 500;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RequestRefusedWhileALaterOneIsInFlight_EveryRecordReportedDeliveredIsInTheLog()
    {
        using var kafka = new EmbeddedKafkaFixture();
        var topic = kafka.CreateTopic("idempotent", 1);
        var config = kafka.ProducerConfig("idempotent-producer");
        config.LingerMs = 5;
        config.Debug = "protocol";
        var sent = 0;
        var delivered = 0;
        var failed = new List<string>();
        using var producer = new ProducerBuilder<Null, string>(config)
            .SetLogHandler((_, message) =>
            {
                if (message.Message.Contains("Sent ProduceRequest", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref sent);
                }
            })
            .Build();

        // The producer has its id and its connection before the scenario.
        await producer.ProduceAsync(topic, new Message<Null, string> { Value = "warm-up" }, Token);

        // The first request is refused (its answer held by the broker's round-trip time) while the second is in flight.
        foreach (var broker in kafka.Cluster.BrokerIds)
        {
            kafka.Cluster.SetBrokerRtt(broker, TimeSpan.FromMilliseconds(300));
        }

        kafka.Cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotLeaderForPartition);
        Volatile.Write(ref sent, 0);
        void OnDelivered(DeliveryReport<Null, string> report)
        {
            if (report.Error.IsError)
            {
                lock (failed)
                {
                    failed.Add($"{report.Message.Value}: {report.Error.Reason}");
                }
            }
            else
            {
                Interlocked.Increment(ref delivered);
            }
        }

        for (var i = 0; i < FirstBatch; i++)
        {
            producer.Produce(topic, new Message<Null, string> { Value = $"first-{i}" }, OnDelivered);
        }

        await Eventually.TrueAsync(() => { producer.Poll(TimeSpan.Zero); return Volatile.Read(ref sent) > 0; }, TimeSpan.FromSeconds(10), "the first request sent", Token);
        for (var i = 0; i < SecondBatch; i++)
        {
            producer.Produce(topic, new Message<Null, string> { Value = $"second-{i}" }, OnDelivered);
        }

        await Eventually.TrueAsync(() => producer.Flush(TimeSpan.FromMilliseconds(100)) == 0, TimeSpan.FromSeconds(60), "every record acknowledged", Token);
        foreach (var broker in kafka.Cluster.BrokerIds)
        {
            kafka.Cluster.SetBrokerRtt(broker, TimeSpan.Zero);
        }

        Assert.Empty(failed);
        Assert.Equal(FirstBatch + SecondBatch, delivered);
        var values = ReadAll(kafka, topic);
        output.WriteLine($"{delivered} reported delivered, {values.Count - 1} in the log after the warm-up record");
        var missing = Enumerable.Range(0, FirstBatch).Select(i => $"first-{i}").Concat(Enumerable.Range(0, SecondBatch).Select(i => $"second-{i}"))
            .Where(v => !values.Contains(v)).ToList();
        Assert.True(missing.Count == 0, $"reported delivered but not in the log: {string.Join(", ", missing.Take(10))}");
    }

    private static HashSet<string> ReadAll(EmbeddedKafkaFixture kafka, string topic)
    {
        var config = kafka.ConsumerConfig("idempotent-reader");
        config.EnablePartitionEof = true;
        using var consumer = new ConsumerBuilder<Null, string>(config).Build();
        var partition = new TopicPartition(topic, 0);
        var end = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High.Value;
        consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException($"{topic} not read to its end ({end})");
            if (!result.IsPartitionEOF)
            {
                values.Add(result.Message.Value);
            }

            if (result.Offset.Value + (result.IsPartitionEOF ? 0 : 1) >= end)
            {
                return values;
            }
        }
    }
}
