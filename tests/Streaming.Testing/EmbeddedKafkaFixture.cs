using Confluent.Kafka;
using Streaming.EmbeddedKafka;
using Streaming.Kafka;

namespace Streaming.Testing;

/// <summary>
/// An embedded Kafka cluster (librdkafka's mock: real protocol, real TCP) for a test class or
/// assembly. Fault injection goes through <see cref="Cluster"/>; tests that inject faults should own
/// their fixture instance, so their faults do not leak into unrelated tests.
/// </summary>
public class EmbeddedKafkaFixture : IDisposable
{
    private int _topicCounter;

    public EmbeddedKafkaFixture()
        : this(MockCluster.DefaultBrokerCount)
    {
    }

    /// <summary>For fixtures of another size; xunit requires a single public constructor.</summary>
    protected EmbeddedKafkaFixture(int brokers)
    {
        Cluster = MockCluster.Start(brokers);
        // Kafka's 3 s default delays every new group's first assignment; tests have no stragglers to wait for.
        Cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
    }

    public MockCluster Cluster { get; }

    public string BootstrapServers => Cluster.BootstrapServers;

    /// <summary>Client options as a service would have them, pointing at this cluster.</summary>
    public KafkaOptions Options(Action<KafkaOptions>? configure = null)
    {
        var options = new KafkaOptions { BootstrapServers = BootstrapServers, StatisticsInterval = TimeSpan.Zero };
        configure?.Invoke(options);
        return options;
    }

    public ProducerConfig ProducerConfig(string clientId = "test-producer") => KafkaClientConfigs.Producer(Options(), clientId);

    public ConsumerConfig ConsumerConfig(string groupId, string clientId = "test-consumer") =>
        KafkaClientConfigs.Consumer(Options(), groupId, clientId);

    /// <summary>Creates a topic with a name unique to this fixture.</summary>
    public string CreateTopic(string prefix, int partitions, int replicationFactor = 1)
    {
        var name = $"{prefix}-{Interlocked.Increment(ref _topicCounter)}";
        Cluster.CreateTopic(name, partitions, replicationFactor);
        return name;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Cluster.Dispose();
        }
    }
}
