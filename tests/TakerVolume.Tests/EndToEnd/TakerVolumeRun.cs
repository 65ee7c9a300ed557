using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Market.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Contracts.Raw.V1;
using Streaming.Kafka;
using Streaming.Processing.Idempotence;
using Streaming.Serialization;
using Streaming.Testing;

namespace TakerVolume.Tests.EndToEnd;

/// <summary>
/// The taker-volume processor built exactly as its program builds it, in this process, against the embedded Kafka;
/// plus a producer of raw events and a read_committed reader of everything the processor publishes.
/// </summary>
internal sealed class TakerVolumeRun : IAsyncDisposable
{
    private readonly CatalogKafkaFixture _kafka;
    private readonly string[] _arguments;
    private readonly IProducer<string, RawEvent> _producer;

    private TakerVolumeRun(CatalogKafkaFixture kafka, string stateDirectory, string[] arguments)
    {
        _kafka = kafka;
        StateDirectory = stateDirectory;
        _arguments = arguments;
        _producer = new ProducerBuilder<string, RawEvent>(kafka.ProducerConfig()).SetValueSerializer(Confluent.Kafka.SyncOverAsync.SyncOverAsyncSerializerExtensionMethods.AsSyncOverAsync(new ProtobufSerializer<RawEvent>())).Build();
    }

    public WebApplication? Host { get; private set; }

    public string StateDirectory { get; }

    public static TakerVolumeRun Create(CatalogKafkaFixture kafka, params string[] extra)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        var stateDirectory = Path.Combine(Path.GetTempPath(), "taker-volume-test-" + Guid.NewGuid().ToString("N"));
        string[] arguments =
        [
            "--Service:Urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Information",
            "--Kafka:BootstrapServers=" + kafka.BootstrapServers,
            "--Kafka:Consumer:FetchMaxWait=00:00:00.050",
            "--Processing:StateDirectory=" + stateDirectory,
            "--Processing:InstanceId=taker-volume-test",
            "--Processing:CommitInterval=00:00:00.100",
            .. extra,
        ];
        return new TakerVolumeRun(kafka, stateDirectory, arguments);
    }

    public async Task StartAsync()
    {
        Host = TakerVolumeHost.Build(_arguments);
        await Host.StartAsync(TestContext.Current.CancellationToken);
    }

    public async Task StopAsync()
    {
        if (Host is { } host)
        {
            await host.StopAsync(TestContext.Current.CancellationToken);
            await host.DisposeAsync();
            Host = null;
        }
    }

    public void Produce(string topic, RawEvent value)
    {
        _producer.Produce(topic, new Message<string, RawEvent> { Key = value.Symbol, Value = value });
    }

    public void Flush() => _producer.Flush(TimeSpan.FromSeconds(30));

    /// <summary>Every record of <paramref name="topic"/> so far, in partition order, with its headers.</summary>
    public List<ConsumeResult<string, T>> ReadAll<T>(string topic)
        where T : class, Google.Protobuf.IMessage<T>, new()
    {
        var group = "reader-" + Guid.NewGuid().ToString("N");
        var config = KafkaClientConfigs.Consumer(_kafka.Options(), group, group);
        config.FetchWaitMaxMs = 20;
        using var consumer = new ConsumerBuilder<string, T>(config).SetValueDeserializer(new ProtobufDeserializer<T>()).Build();
        var partitions = new List<TopicPartitionOffset>();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
        var count = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics[0].Partitions.Count;
        var ends = new Dictionary<int, long>();
        for (var p = 0; p < count; p++)
        {
            var tp = new TopicPartition(topic, p);
            var watermarks = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10));
            if (watermarks.High.Value > watermarks.Low.Value)
            {
                partitions.Add(new TopicPartitionOffset(tp, watermarks.Low));
                ends[p] = watermarks.High.Value;
            }
        }

        var results = new List<ConsumeResult<string, T>>();
        if (partitions.Count == 0)
        {
            return results;
        }

        consumer.Assign(partitions);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var done = new HashSet<int>();
        while (done.Count < ends.Count && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                continue;
            }

            results.Add(result);
            if (result.Offset.Value + 1 >= ends[result.Partition.Value])
            {
                done.Add(result.Partition.Value);
            }
        }

        return results;
    }

    /// <summary>The newest value per key as a consumer keeps it: repeats and stale (epoch, revision) pairs dropped.</summary>
    public static Dictionary<string, T> Latest<T>(IEnumerable<ConsumeResult<string, T>> records, Func<T, string> key)
    {
        var deduplicator = new OutputDeduplicator<string>(StringComparer.Ordinal);
        var latest = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var k = key(record.Message.Value);
            if (deduplicator.Offer(k, record.Message.Headers) == Decision.Accept)
            {
                latest[k] = record.Message.Value;
            }
        }

        return latest;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _producer.Dispose();
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    internal static string WindowKey(TakerVolumeWindow window) => $"{window.Symbol}@{window.WindowStartMs}";

    internal static string WindowKey(WindowReconciliation reconciliation) => $"{reconciliation.Symbol}@{reconciliation.WindowStartMs}";

    internal static string TradeKey(AggTrade trade) => $"{trade.Symbol}#{trade.AggregateTradeId}";

    internal static string GapKey(FeedGap gap) => $"{gap.Symbol}:{gap.MissingIds?.First}..{gap.MissingIds?.Last}:{gap.Filled}";
}
