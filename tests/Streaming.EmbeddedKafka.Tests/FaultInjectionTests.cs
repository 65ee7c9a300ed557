using System.Diagnostics;
using Confluent.Kafka;
using Streaming.Testing;

namespace Streaming.EmbeddedKafka.Tests;

/// <summary>Each fault the fixture offers does what it says, seen from a real Kafka client. Every test owns its cluster.</summary>
public sealed class FaultInjectionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SetBrokerRtt_AllBrokers_DelaysAcknowledgements()
    {
        using var kafka = new EmbeddedKafkaFixture();
        var topic = kafka.CreateTopic("rtt", 1);
        using var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "warm-up" }, Token);

        foreach (var broker in kafka.Cluster.BrokerIds)
        {
            kafka.Cluster.SetBrokerRtt(broker, TimeSpan.FromMilliseconds(400));
        }

        var clock = Stopwatch.StartNew();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "slow" }, Token);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(400), $"acknowledged after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task PushRequestErrors_NonRetriable_FailsTheNextProduceWithThatError()
    {
        using var kafka = new EmbeddedKafkaFixture();
        var topic = kafka.CreateTopic("errors", 1);
        using var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "ok" }, Token);

        kafka.Cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.TopicAuthorizationFailed);

        var error = await Assert.ThrowsAsync<ProduceException<string, string>>(
            () => producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "refused" }, Token));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, error.Error.Code);
    }

    [Fact]
    public async Task PushRequestErrors_Retriable_ProducerRetriesAndDeliversOnce()
    {
        using var kafka = new EmbeddedKafkaFixture();
        var topic = kafka.CreateTopic("retriable", 1);
        using var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "first" }, Token);

        kafka.Cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas);
        var result = await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "second" }, Token);

        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        using var consumer = new ConsumerBuilder<string, string>(kafka.ConsumerConfig("retriable-reader")).Build();
        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10));
        Assert.Equal(2, watermarks.High.Value);
    }

    [Fact]
    public void SetTopicError_MetadataReportsTheErrorUntilCleared()
    {
        using var kafka = new EmbeddedKafkaFixture();
        var topic = kafka.CreateTopic("topic-error", 1);
        using var admin = MockClusterTests.Admin(kafka.Cluster);

        kafka.Cluster.SetTopicError(topic, ErrorCode.LeaderNotAvailable);
        Assert.Equal(ErrorCode.LeaderNotAvailable, admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Error.Code);

        kafka.Cluster.SetTopicError(topic, ErrorCode.NoError);
        Assert.Equal(ErrorCode.NoError, admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Error.Code);
    }

    [Fact]
    public void SetPartitionLeader_MetadataNamesTheNewLeader()
    {
        using var kafka = new EmbeddedKafkaFixture();
        var topic = kafka.CreateTopic("leaders", partitions: 2, replicationFactor: 3);
        using var admin = MockClusterTests.Admin(kafka.Cluster);

        kafka.Cluster.SetPartitionLeader(topic, 0, 3);
        kafka.Cluster.SetPartitionLeader(topic, 1, 2);

        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.OrderBy(p => p.PartitionId).ToList();
        Assert.Equal(3, partitions[0].Leader);
        Assert.Equal(2, partitions[1].Leader);
    }

    [Fact]
    public async Task SetCoordinator_OldCoordinatorDown_GroupCommitsThroughTheNewOne()
    {
        using var kafka = new EmbeddedKafkaFixture();
        var topic = kafka.CreateTopic("coordinator", 1, replicationFactor: 3);
        kafka.Cluster.SetPartitionLeader(topic, 0, 1);
        const string Group = "coordinated";
        kafka.Cluster.SetCoordinator(CoordinatorType.Group, Group, 2);
        using var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build();
        for (var i = 0; i < 4; i++)
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = $"v{i}" }, Token);
        }

        using var consumer = new ConsumerBuilder<string, string>(kafka.ConsumerConfig(Group)).Build();
        consumer.Subscribe(topic);
        var first = consumer.ConsumeUpTo(2, TimeSpan.FromSeconds(30));
        consumer.Commit([new TopicPartitionOffset(topic, 0, first[^1].Offset + 1)]);

        kafka.Cluster.SetCoordinator(CoordinatorType.Group, Group, 3);
        kafka.Cluster.SetBrokerDown(2);
        var rest = consumer.ConsumeUpTo(2, TimeSpan.FromSeconds(30));
        consumer.Commit([new TopicPartitionOffset(topic, 0, rest[^1].Offset + 1)]);

        var committed = consumer.Committed([new TopicPartition(topic, 0)], TimeSpan.FromSeconds(10)).Single();
        Assert.Equal(4, committed.Offset.Value);
        consumer.Close();
    }
}
