using System.Globalization;
using Confluent.Kafka;
using Streaming.Testing;

namespace Streaming.Kafka.Tests;

/// <summary>Broker faults during production: nothing acknowledged may be lost. Each test owns its cluster.</summary>
public sealed class BrokerFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task LeaderBrokerDownThenUp_WhileProducing_EveryRecordIsDeliveredAndReadable()
    {
        using var kafka = new EmbeddedKafkaFixture();
        var topic = kafka.CreateTopic("failover", partitions: 3, replicationFactor: 3);
        foreach (var partition in new[] { 0, 1, 2 })
        {
            kafka.Cluster.SetPartitionLeader(topic, partition, brokerId: partition + 1);
        }

        using var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build();
        var deliveries = new List<Task<DeliveryResult<string, string>>>();
        void Produce(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                deliveries.Add(producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i % 30}", Value = i.ToString(CultureInfo.InvariantCulture) }));
            }
        }

        Produce(0, 1000);
        await Eventually.TrueAsync(() => deliveries.All(d => d.IsCompleted), Timeout, "records before the fault acknowledged", TestContext.Current.CancellationToken);

        kafka.Cluster.SetBrokerDown(1);
        Produce(1000, 2000);
        var duringFault = deliveries.Skip(1000).ToList();
        // Partitions 1 and 2 keep accepting records; partition 0's wait in the producer's queue for their leader.
        await Eventually.TrueAsync(() => duringFault.Count(d => d.IsCompletedSuccessfully) >= 500, Timeout, "records for live leaders acknowledged during the fault", TestContext.Current.CancellationToken);
        var stuck = duringFault.Count(d => !d.IsCompleted);
        Assert.True(stuck > 0, "the fault had no effect: every record was acknowledged while broker 1 was down");

        kafka.Cluster.SetBrokerUp(1);
        Produce(2000, 3000);
        output.WriteLine($"{stuck} records waited for broker 1");

        var results = await Task.WhenAll(deliveries);
        Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));

        var values = ReadAll(kafka, topic, results.Length);
        var distinct = values.Distinct().Count();
        output.WriteLine($"produced 3000, read {values.Count}, distinct {distinct}");
        Assert.Equal(3000, distinct);
    }

    [Fact]
    public async Task LeaderMovedToAnotherBroker_WhileOldLeaderIsDown_ProductionContinues()
    {
        using var kafka = new EmbeddedKafkaFixture();
        var topic = kafka.CreateTopic("leader-move", partitions: 1, replicationFactor: 3);
        kafka.Cluster.SetPartitionLeader(topic, 0, brokerId: 1);
        using var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "before" }, TestContext.Current.CancellationToken);

        kafka.Cluster.SetBrokerDown(1);
        kafka.Cluster.SetPartitionLeader(topic, 0, brokerId: 2);
        var after = await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "after" }, TestContext.Current.CancellationToken);

        Assert.Equal(PersistenceStatus.Persisted, after.Status);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var leader = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Single().Leader;
        Assert.Equal(2, leader);
        Assert.Equal(["before", "after"], ReadAll(kafka, topic, 2));
    }

    private static List<string> ReadAll(EmbeddedKafkaFixture kafka, string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<string, string>(kafka.ConsumerConfig($"{topic}-reader")).Build();
        consumer.Subscribe(topic);
        var records = consumer.ConsumeUpTo(expected, Timeout);
        consumer.Close();
        return records.Select(r => r.Message.Value).ToList();
    }
}
