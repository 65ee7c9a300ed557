using Streaming.Topics;

namespace Streaming.EmbeddedKafka;

/// <summary>Provisioning of the embedded broker: the mock has no Admin API, so topics come from the catalog directly.</summary>
public static class MockClusterCatalogExtensions
{
    /// <summary>
    /// Creates every topic of <paramref name="catalog"/> with its partition count, replication
    /// factors capped at the broker count. Configs (retention, compaction...) are not applied: the
    /// mock has none. Returns the topics as created.
    /// </summary>
    public static IReadOnlyList<TopicSpec> CreateTopics(this MockCluster cluster, TopicCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(catalog);
        var fitted = catalog.WithMaxReplicationFactor(checked((short)cluster.BrokerCount));
        foreach (var topic in fitted.Topics)
        {
            cluster.CreateTopic(topic.Name, topic.Partitions, topic.ReplicationFactor);
        }

        return fitted.Topics;
    }
}
