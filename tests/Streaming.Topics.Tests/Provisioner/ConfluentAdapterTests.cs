using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Streaming.Topics.Provisioning;
using TopicProvisioner.Admin;
using static Streaming.Topics.Tests.Support.CatalogYaml;

namespace Streaming.Topics.Tests.Provisioner;

/// <summary>The Confluent adapter's logic: error classification and type mapping, without a broker.</summary>
public sealed class ConfluentAdapterTests
{
    [Theory]
    [InlineData(ErrorCode.UnsupportedVersion, nameof(ClusterAdminFailure.AdminApiUnsupported))]
    [InlineData(ErrorCode.InvalidRequest, nameof(ClusterAdminFailure.AdminApiUnsupported))]
    [InlineData(ErrorCode.Local_UnsupportedFeature, nameof(ClusterAdminFailure.AdminApiUnsupported))]
    [InlineData(ErrorCode.Local_TimedOut, nameof(ClusterAdminFailure.AdminApiUnsupported))]
    [InlineData(ErrorCode.Local_Transport, nameof(ClusterAdminFailure.Unreachable))]
    [InlineData(ErrorCode.Local_AllBrokersDown, nameof(ClusterAdminFailure.Unreachable))]
    [InlineData(ErrorCode.SaslAuthenticationFailed, nameof(ClusterAdminFailure.Unreachable))]
    [InlineData(ErrorCode.TopicAuthorizationFailed, nameof(ClusterAdminFailure.Rejected))]
    [InlineData(ErrorCode.InvalidConfig, nameof(ClusterAdminFailure.Rejected))]
    public void Classify_ErrorCode_GivesFailureKind(ErrorCode code, string expected)
    {
        Assert.Equal(Enum.Parse<ClusterAdminFailure>(expected), AdminErrorClassifier.Classify(new Error(code, "reason")));
    }

    [Fact]
    public void Classify_ReasonSayingNotSupported_IsAdminApiUnsupported()
    {
        Assert.Equal(ClusterAdminFailure.AdminApiUnsupported, AdminErrorClassifier.Classify(new Error(ErrorCode.Unknown, "Request type not supported by broker")));
    }

    [Fact]
    public void ToException_AdminApiUnsupported_PointsAtTheEmbeddedBrokerAndDevKafka()
    {
        var error = new Error(ErrorCode.Local_TimedOut, "Failed while waiting for controller: Local: Timed out");

        var exception = AdminErrorClassifier.ToException("DescribeTopics", error, "127.0.0.1:9092", new KafkaException(error));

        Assert.Equal(ClusterAdminFailure.AdminApiUnsupported, exception.Failure);
        Assert.Contains("127.0.0.1:9092 answers metadata requests but not the Admin API (DescribeTopics: Failed while waiting for controller", exception.Message, StringComparison.Ordinal);
        Assert.Contains("librdkafka's mock cluster", exception.Message, StringComparison.Ordinal);
        Assert.Contains("created by DevKafka from the same catalog", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToException_TooFewBrokers_SuggestsMaxReplicationFactor()
    {
        var error = new Error(ErrorCode.InvalidReplicationFactor, "Replication factor: 3 larger than available brokers: 1.");

        var exception = AdminErrorClassifier.ToException("CreateTopics", error, "k:9092", new KafkaException(error));

        Assert.Equal(ClusterAdminFailure.Rejected, exception.Failure);
        Assert.Contains("--max-replication-factor", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToObservedTopic_ConfigSources_OnlyDynamicTopicConfigIsSetOnTopic()
    {
        var description = new TopicDescription
        {
            Name = "a.b",
            Error = new Error(ErrorCode.NoError),
            Partitions = [Partition(3), Partition(2), Partition(3)],
        };
        ConfigEntryResult[] configs =
        [
            new() { Name = "retention.ms", Value = "1", Source = ConfigSource.DynamicTopicConfig },
            new() { Name = "min.insync.replicas", Value = "2", Source = ConfigSource.StaticBrokerConfig },
            new() { Name = "segment.ms", Value = "3", Source = ConfigSource.DefaultConfig, IsDefault = true },
        ];

        var topic = ConfluentMapping.ToObservedTopic(description, configs);

        Assert.Equal(("a.b", 3, (short)2), (topic.Name, topic.Partitions, topic.ReplicationFactor));
        Assert.Equal(new ObservedConfig("1", true), topic.Configs["retention.ms"]);
        Assert.Equal(new ObservedConfig("2", false), topic.Configs["min.insync.replicas"]);
        Assert.Equal(new ObservedConfig("3", false), topic.Configs["segment.ms"]);
    }

    [Fact]
    public void ToTopicSpecification_Spec_CarriesPartitionsReplicasAndConfigs()
    {
        var specification = ConfluentMapping.ToTopicSpecification(Spec("a.b", 12, 3, ("retention.ms", "1")));

        Assert.Equal(("a.b", 12, (short)3), (specification.Name, specification.NumPartitions, specification.ReplicationFactor));
        Assert.Equal("1", Assert.Single(specification.Configs).Value);
    }

    [Fact]
    public void ToIncrementalAlterations_SetsAndRemovals_GroupedByTopic()
    {
        ConfigChange[] changes =
        [
            new("a", "retention.ms", null, "1"),
            new("b", "flush.ms", new ObservedConfig("5", true), null),
            new("a", "segment.ms", null, "2"),
        ];

        var alterations = ConfluentMapping.ToIncrementalAlterations(changes);

        Assert.Equal(
            [("a", "retention.ms", "1", AlterConfigOpType.Set), ("a", "segment.ms", "2", AlterConfigOpType.Set), ("b", "flush.ms", null, AlterConfigOpType.Delete)],
            alterations.SelectMany(topic => topic.Value.Select(entry => (topic.Key.Name, entry.Name, (string?)entry.Value, entry.IncrementalOperation))));
        Assert.All(alterations.Keys, resource => Assert.Equal(ResourceType.Topic, resource.Type));
    }

    private static TopicPartitionInfo Partition(int replicas) =>
        new() { Replicas = [.. Enumerable.Range(0, replicas).Select(id => new Node { Id = id })] };
}
