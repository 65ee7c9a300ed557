using System.Diagnostics;
using Confluent.Kafka;
using Streaming.Testing;

namespace Streaming.EmbeddedKafka.Tests;

/// <summary>
/// What the embedded broker does NOT guarantee, pinned so that the rest of the suite cannot rely on
/// it by accident (and so that a future librdkafka that changes it fails here first). Production runs
/// on Apache Kafka, where each of these behaves differently; see README "Embedded Kafka".
/// </summary>
public sealed class BrokerLimitsTests(ITestOutputHelper output)
{
    private const int OriginalCapBytes = 5 * 1024 * 1024;
    private const int RecordBytes = 900_000;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Retention_ProjectBuild_KeepsMoreThanTheStockFiveMebibytesAndEvictsBeyondItsOwnCap()
    {
        var capBytes = long.Parse(BuildProperty("LibRdKafkaMockMaxPartitionBytes"), System.Globalization.CultureInfo.InvariantCulture);
        using var kafka = new EmbeddedKafkaFixture();
        var topic = kafka.CreateTopic("retention", 1);
        var partition = new TopicPartition(topic, 0);
        var config = kafka.ProducerConfig();
        config.LingerMs = 0;
        // Stored bytes must equal produced bytes: no compression, and an incompressible payload.
        config.CompressionType = CompressionType.None;
        using var producer = new ProducerBuilder<Null, byte[]>(config).Build();
        using var consumer = new ConsumerBuilder<Null, byte[]>(kafka.ConsumerConfig("retention-reader")).Build();
        var payload = new byte[RecordBytes];
        new Random(7).NextBytes(payload);

        // Past the stock cap: the stock mock would have dropped the oldest records by now.
        var beyondStock = (OriginalCapBytes / RecordBytes) + 3;
        await ProduceAsync(producer, topic, payload, beyondStock);
        Assert.Equal(0, consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).Low.Value);

        // Past the project's cap: eviction is real, silent, and visible only as a moving low watermark.
        var clock = Stopwatch.StartNew();
        var beyondCap = (int)(capBytes / RecordBytes) + 10 - beyondStock;
        await ProduceAsync(producer, topic, payload, beyondCap);
        var watermarks = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
        output.WriteLine($"cap {capBytes} bytes; produced {beyondStock + beyondCap} x {RecordBytes} bytes in {clock.Elapsed.TotalSeconds:0.0} s; watermarks {watermarks.Low}..{watermarks.High}");
        Assert.True(watermarks.Low.Value > 0, "nothing was evicted beyond the cap");
        Assert.InRange(watermarks.High.Value - watermarks.Low.Value, (capBytes / RecordBytes) - 2, (capBytes / RecordBytes) + 2);
    }

    [Fact]
    public async Task Transactions_AbortedRecords_AreVisibleToReadCommittedConsumers()
    {
        using var kafka = new EmbeddedKafkaFixture();
        var topic = kafka.CreateTopic("aborted", 1, replicationFactor: 3);
        using var producer = TransactionalProducer(kafka, "aborting-producer");
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        producer.BeginTransaction();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "aborted" }, Token);
        producer.AbortTransaction(TimeSpan.FromSeconds(30));

        var config = kafka.ConsumerConfig("read-committed");
        Assert.Equal(IsolationLevel.ReadCommitted, config.IsolationLevel);
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(topic);
        var seen = consumer.ConsumeUpTo(1, TimeSpan.FromSeconds(15));
        consumer.Close();

        // On Apache Kafka a read_committed consumer never sees an aborted record.
        Assert.Equal(["aborted"], seen.Select(r => r.Message.Value));
    }

    [Fact]
    public async Task Transactions_SecondProducerWithSameTransactionalId_DoesNotFenceTheFirst()
    {
        using var kafka = new EmbeddedKafkaFixture();
        var topic = kafka.CreateTopic("fencing", 1, replicationFactor: 3);
        using var zombie = TransactionalProducer(kafka, "shared-id");
        zombie.InitTransactions(TimeSpan.FromSeconds(30));
        using var successor = TransactionalProducer(kafka, "shared-id");
        successor.InitTransactions(TimeSpan.FromSeconds(30));

        // On Apache Kafka the successor's InitTransactions bumps the epoch and this fails with ProducerFenced.
        zombie.BeginTransaction();
        var result = await zombie.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "zombie write" }, Token);
        zombie.CommitTransaction(TimeSpan.FromSeconds(30));

        Assert.Equal(PersistenceStatus.Persisted, result.Status);
    }

    [Fact]
    public async Task Transactions_SendOffsetsToTransaction_DoesNotStoreTheGroupOffset()
    {
        using var kafka = new EmbeddedKafkaFixture();
        var topic = kafka.CreateTopic("txn-offsets", 1, replicationFactor: 3);
        const string Group = "txn-group";
        using (var plain = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build())
        {
            await plain.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "input" }, Token);
        }

        using var producer = TransactionalProducer(kafka, "offsets-producer");
        producer.InitTransactions(TimeSpan.FromSeconds(30));

        using var consumer = new ConsumerBuilder<string, string>(kafka.ConsumerConfig(Group)).Build();
        consumer.Subscribe(topic);
        var input = consumer.ConsumeUpTo(1, TimeSpan.FromSeconds(30)).Single();

        producer.BeginTransaction();
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(input.TopicPartition, input.Offset + 1)], consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
        producer.CommitTransaction(TimeSpan.FromSeconds(30));

        // On Apache Kafka the group's committed offset is now 1.
        var committed = consumer.Committed([input.TopicPartition], TimeSpan.FromSeconds(10)).Single();
        consumer.Close();
        Assert.Equal(Offset.Unset, committed.Offset);
    }

    [Fact]
    public async Task GroupHandover_LastMemberLeaves_NextMemberIsAssignedWithoutWaitingForTheSessionTimeout()
    {
        // Needs eng/librdkafka-patches/0001: the stock mock waits session.timeout.ms - 1 s here.
        using var kafka = new EmbeddedKafkaFixture();
        var topic = kafka.CreateTopic("handover", 1);
        using (var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build())
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "v" }, Token);
        }

        var config = kafka.ConsumerConfig("handover-group");
        Assert.Equal(45_000, config.SessionTimeoutMs);
        using (var first = new ConsumerBuilder<string, string>(config).Build())
        {
            first.Subscribe(topic);
            Assert.Single(first.ConsumeUpTo(1, TimeSpan.FromSeconds(30)));
            first.Close();
        }

        var clock = Stopwatch.StartNew();
        using var second = new ConsumerBuilder<string, string>(config).Build();
        second.Subscribe(topic);
        await Eventually.TrueAsync(
            () =>
            {
                second.Consume(TimeSpan.FromMilliseconds(50));
                return second.Assignment.Count == 1;
            },
            TimeSpan.FromSeconds(20),
            "the second member's assignment",
            Token);
        output.WriteLine($"second member assigned after {clock.ElapsedMilliseconds} ms");
        second.Close();
    }

    [Fact]
    public async Task Fetch_NoDataWhenAsked_IsHeldForTheWholeMaxWaitEvenWhenRecordsArrive()
    {
        using var kafka = new EmbeddedKafkaFixture();
        var topic = kafka.CreateTopic("long-poll", 1);
        var config = kafka.ConsumerConfig("long-poll-reader");
        config.FetchWaitMaxMs = 3000;
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.End));
        // An idle poll: the consumer's first fetch finds nothing and is now held by the broker.
        Assert.Null(consumer.Consume(TimeSpan.FromSeconds(1)));

        using var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "v" }, Token);
        var clock = Stopwatch.StartNew();
        Assert.Single(consumer.ConsumeUpTo(1, TimeSpan.FromSeconds(10)));

        // Apache Kafka answers the held fetch as soon as the record is appended (milliseconds).
        output.WriteLine($"record delivered {clock.ElapsedMilliseconds} ms after it was acknowledged");
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(1000), $"delivered after {clock.ElapsedMilliseconds} ms: the broker now answers held fetches early; revisit FetchMaxWait in run.sh and README");
    }

    private static async Task ProduceAsync(IProducer<Null, byte[]> producer, string topic, byte[] payload, int count)
    {
        for (var i = 0; i < count; i++)
        {
            producer.Produce(topic, new Message<Null, byte[]> { Value = payload });
        }

        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(120)), Token);
    }

    private static IProducer<string, string> TransactionalProducer(EmbeddedKafkaFixture kafka, string transactionalId)
    {
        var config = kafka.ProducerConfig(transactionalId);
        config.TransactionalId = transactionalId;
        config.TransactionTimeoutMs = config.MessageTimeoutMs;
        return new ProducerBuilder<string, string>(config).Build();
    }

    private static string BuildProperty(string name)
    {
        var props = File.ReadAllText(RepoPaths.Combine("eng", "librdkafka.props"));
        var start = props.IndexOf($"<{name}>", StringComparison.Ordinal) + name.Length + 2;
        return props[start..props.IndexOf($"</{name}>", StringComparison.Ordinal)];
    }
}
