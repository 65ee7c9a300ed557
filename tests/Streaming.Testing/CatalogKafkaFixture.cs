using Streaming.EmbeddedKafka;
using Streaming.Topics;

namespace Streaming.Testing;

/// <summary>An embedded Kafka cluster with every topic of the catalog (deploy/topics.yaml), as DevKafka starts it.</summary>
public sealed class CatalogKafkaFixture : EmbeddedKafkaFixture
{
    public CatalogKafkaFixture()
    {
        Topics = Cluster.CreateTopics(TopicCatalog.LoadDefault());
    }

    public IReadOnlyList<TopicSpec> Topics { get; }
}
