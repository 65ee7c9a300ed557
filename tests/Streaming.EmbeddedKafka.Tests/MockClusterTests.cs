using Confluent.Kafka;
using Streaming.Testing;

namespace Streaming.EmbeddedKafka.Tests;

public sealed class MockClusterTests
{
    [Fact]
    public void Start_ThreeBrokers_MetadataListsEveryBroker()
    {
        using var cluster = MockCluster.Start(3);

        Assert.Equal(3, cluster.BootstrapServers.Split(',').Length);
        using var admin = Admin(cluster);
        var brokers = admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Select(b => b.BrokerId).Order();
        Assert.Equal([1, 2, 3], brokers);
    }

    [Fact]
    public void CreateTopic_PartitionsAndReplicas_AreVisibleInMetadata()
    {
        using var cluster = MockCluster.Start(3);

        cluster.CreateTopic("catalog-topic", partitions: 12, replicationFactor: 3);

        using var admin = Admin(cluster);
        var topic = admin.GetMetadata("catalog-topic", TimeSpan.FromSeconds(10)).Topics.Single();
        Assert.Equal(ErrorCode.NoError, topic.Error.Code);
        Assert.Equal(12, topic.Partitions.Count);
        Assert.All(topic.Partitions, p => Assert.Equal(3, p.Replicas.Length));
    }

    [Fact]
    public void CreateTopic_Twice_ThrowsTopicAlreadyExists()
    {
        using var cluster = MockCluster.Start(1);
        cluster.CreateTopic("twice", 1, 1);

        var error = Assert.Throws<EmbeddedKafkaException>(() => cluster.CreateTopic("twice", 1, 1));

        Assert.Equal(ErrorCode.TopicAlreadyExists, error.Error);
        Assert.Contains("create topic twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateTopic_ReplicationFactorAboveBrokerCount_IsRejected()
    {
        using var cluster = MockCluster.Start(1);

        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.CreateTopic("too-replicated", 1, 3));
    }

    [Fact]
    public void FaultInjection_UnknownBroker_IsRejected()
    {
        using var cluster = MockCluster.Start(3);

        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.SetBrokerDown(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.SetBrokerRtt(0, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Calls_AfterDispose_ThrowObjectDisposed()
    {
        var cluster = MockCluster.Start(1);
        cluster.Dispose();
        cluster.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cluster.CreateTopic("late", 1, 1));
        Assert.Throws<ObjectDisposedException>(() => cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotLeaderForPartition));
    }

    [Fact]
    public void Fixture_Topics_AreUniquePerCall()
    {
        using var kafka = new EmbeddedKafkaFixture();

        Assert.NotEqual(kafka.CreateTopic("t", 1), kafka.CreateTopic("t", 1));
    }

    internal static IAdminClient Admin(MockCluster cluster) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
}
