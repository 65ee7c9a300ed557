using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Streaming.Kafka.Statistics;
using Streaming.Testing;

namespace Streaming.Kafka.Tests;

public sealed class KafkaClientMetricsTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output) : IClassFixture<EmbeddedKafkaFixture>
{
    [Fact]
    public async Task StatisticsReports_ProducerAndConsumer_AreExportedAsMetrics()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka:StatisticsInterval"] = "00:00:00.100",
        });
        builder.Services.AddKafkaClients();
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);

        var measurements = new ConcurrentDictionary<(string Instrument, string Series), double>();
        using var listener = Listen(host.Services.GetRequiredService<IMeterFactory>(), measurements);

        var topic = kafka.CreateTopic("metrics", partitions: 1);
        var factory = host.Services.GetRequiredService<KafkaClientFactory>();
        using var producer = factory.CreateProducerBuilder<string, string>("metrics-producer").Build();
        for (var i = 0; i < 20; i++)
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i}", Value = "v" }, TestContext.Current.CancellationToken);
        }

        using var consumer = factory.CreateConsumerBuilder<string, string>("metrics-group", "metrics-consumer").Build();
        consumer.Subscribe(topic);
        var consumed = consumer.ConsumeUpTo(10, TimeSpan.FromSeconds(30));
        Assert.Equal(10, consumed.Count);
        // librdkafka's consumer_lag counts from the committed offset, as group lag tools do.
        consumer.Commit(consumed.GroupBy(r => r.TopicPartition).Select(g => new TopicPartitionOffset(g.Key, g.Max(r => r.Offset.Value) + 1)));

        try
        {
        await Eventually.TrueAsync(
            () =>
            {
                consumer.Consume(TimeSpan.FromMilliseconds(50)); // serves the consumer's statistics callback
                producer.Poll(TimeSpan.FromMilliseconds(10));
                listener.RecordObservableInstruments();
                return Value("streaming.kafka.client.sent.messages", "metrics-producer") >= 20
                    && Value("streaming.kafka.consumer.lag", "metrics-consumer") == 10
                    && Value("streaming.kafka.broker.connected", "metrics-producer") >= 1;
            },
            TimeSpan.FromSeconds(30),
            "producer and consumer statistics exported",
            TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            output.WriteLine(string.Join(Environment.NewLine, measurements.Select(m => $"{m.Key} = {m.Value}")));
            throw;
        }

        // librdkafka names each handle "<client.id>#<type>-<n>", unique within the process.
        // Summed over the series of one client (consumer lag has one per partition).
        double? Value(string instrument, string clientId)
        {
            var series = measurements.Where(m => m.Key.Instrument == instrument && m.Key.Series.StartsWith(clientId + "#", StringComparison.Ordinal)).ToList();
            return series.Count == 0 ? null : series.Sum(m => m.Value);
        }

        consumer.Close();
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    private static MeterListener Listen(IMeterFactory factory, ConcurrentDictionary<(string, string), double> into)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == KafkaClientMetrics.MeterName && instrument.Meter.Scope == factory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Store(into, i, value, tags));
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Store(into, i, value, tags));
        listener.Start();
        return listener;
    }

    private static void Store(ConcurrentDictionary<(string, string), double> into, Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = string.Join('/', tags.ToArray().OrderBy(t => t.Key != "client").Select(t => t.Value));
        into[(instrument.Name, series)] = value;
    }
}
