using System.Text;
using Confluent.Kafka;
using Streaming.Processing.CountingApp;
using Streaming.Processing.Processors;
using Streaming.Processing.Runtime;
using Streaming.Processing.State;
using Streaming.Processing.Tests.Counting;
using Streaming.Processing.Topology;
using Streaming.Testing;

namespace Streaming.Processing.Tests.Runtime;

/// <summary>Co-partitioned sources, stream-time punctuation, a fatal processor error, and the transactional mode, through the embedded broker.</summary>
public sealed class TopologyFeatureTests(ITestOutputHelper output) : IDisposable
{
    private const int Partitions = 4;
    private readonly EmbeddedKafkaFixture _kafka = new();
    private readonly string _stateRoot = Path.Combine(Path.GetTempPath(), "processing-features-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task CoPartitionedSources_OneTaskPerPartitionNumber_AcrossARebalance()
    {
        var app = Name("copart");
        var odd = _kafka.CreateTopic(app + "-odd", Partitions);
        var even = _kafka.CreateTopic(app + "-even", Partitions);
        var outputTopic = _kafka.CreateTopic(app + "-out", Partitions);
        _kafka.Cluster.CreateTopic(CountingTopology.Changelog(app), Partitions, 1);
        var topology = new TopologyBuilder(app)
            .AddSource(odd, Deserializers.Utf8, new RecordDeserializer(), CountingTopology.Processor)
            .AddSource(even, Deserializers.Utf8, new RecordDeserializer(), CountingTopology.Processor)
            .AddProcessor(CountingTopology.Processor, () => new SumProcessor(), CountingTopology.Store)
            .AddStore(StoreDefinition.KeyValue(app, CountingTopology.Store, StateSerdes.Utf8, new SumStateSerde()))
            .AddSink(CountingTopology.Sink, outputTopic, Serializers.Utf8, Serializers.Utf8)
            .Build();
        var workload = new CountingWorkload(seed: 21, keys: 60, duplicateRate: 0.05);
        ProduceSplit(odd, even, workload, 3_000);

        using var logs = TestOutputLoggerProvider.Factory(output);
        await using var a = new CountingInstance(_kafka, app, odd, outputTopic, Path.Combine(_stateRoot, "a"), "a", loggerFactory: logs, topology: topology);
        await WaitForOracleAsync(outputTopic, workload);
        await using var b = new CountingInstance(_kafka, app, odd, outputTopic, Path.Combine(_stateRoot, "b"), "b", loggerFactory: logs, topology: topology);
        await Eventually.TrueAsync(() => b.Application.Tasks.Count > 0 && b.Application.AllTasksRunning && a.Application.Tasks.Count < Partitions,
            TimeSpan.FromSeconds(60), "tasks shared", TestContext.Current.CancellationToken);
        ProduceSplit(odd, even, workload, 3_000);
        await WaitForOracleAsync(outputTopic, workload);
        await a.StopAsync();
        ProduceSplit(odd, even, workload, 3_000);
        await WaitForOracleAsync(outputTopic, workload);
        await b.StopAsync();

        Assert.Equal(CountingResults.Sorted(workload.Oracle), CountingResults.Sorted(CountingResults.ReadChangelog(_kafka.BootstrapServers, CountingTopology.Changelog(app), Partitions).State));
    }

    [Fact]
    public async Task TaskWithTwoStores_FencesTheSecondChangelogBeforeItClaims_AndMarksItWithTheClaimsEpoch()
    {
        var app = Name("fence");
        var input = _kafka.CreateTopic(app + "-in", 1);
        var outputTopic = _kafka.CreateTopic(app + "-out", 1);
        const string Spare = "spare";
        var topology = new TopologyBuilder(app)
            .AddSource(input, Deserializers.Utf8, new RecordDeserializer(), CountingTopology.Processor)
            .AddProcessor(CountingTopology.Processor, () => new SumProcessor(), CountingTopology.Store, Spare)
            .AddStore(StoreDefinition.KeyValue(app, CountingTopology.Store, StateSerdes.Utf8, new SumStateSerde()))
            .AddStore(StoreDefinition.KeyValue(app, Spare, StateSerdes.Utf8, StateSerdes.Utf8))
            .AddSink(CountingTopology.Sink, outputTopic, Serializers.Utf8, Serializers.Utf8)
            .Build();
        _kafka.Cluster.CreateTopic(CountingTopology.Changelog(app), 1, 1);
        _kafka.Cluster.CreateTopic($"{app}-{Spare}-changelog", 1, 1);
        var workload = new CountingWorkload(seed: 23, keys: 10);
        using (var producer = new ProducerBuilder<string, byte[]>(_kafka.ProducerConfig()).Build())
        {
            CountingWorkload.Produce(producer, input, workload.Next(300), 1_700_000_000_000);
        }

        // Two owners one after the other (the state directory wiped in between, so the second restores from the changelogs).
        for (var owner = 0; owner < 2; owner++)
        {
            await using var instance = new CountingInstance(_kafka, app, input, outputTopic, Path.Combine(_stateRoot, "fence" + owner), "a", topology: topology);
            await CountingResults.WaitForOracleAsync(_kafka.BootstrapServers, outputTopic, 1, workload, TimeSpan.FromSeconds(60), "outputs equal the oracle");
            await Eventually.TrueAsync(() => instance.Application.Tasks.Count == 1 && instance.Application.AllTasksRunning, TimeSpan.FromSeconds(60), "the task running", TestContext.Current.CancellationToken);
            await instance.StopAsync();
        }

        var claims = Markers(CountingTopology.Changelog(app));
        var fences = Markers($"{app}-{Spare}-changelog");

        // The first changelog holds only claims (markers without an epoch); the second, per owner, a provisional
        // fence (one above every epoch seen) and, when the claim's offset gives more, the final epoch.
        Assert.Equal(2, claims.Count);
        Assert.All(claims, c => Assert.Null(c.Epoch));
        Assert.Equal([1L, 2L, ProcessingHeaders.ClaimEpoch(claims[1].Offset)], fences.Select(f => f.Epoch!.Value));
        Assert.True(claims[1].Offset > 1, $"the second claim at offset {claims[1].Offset}, after the first owner's writes");
    }

    [Fact]
    public async Task StreamTimePunctuation_FiresAsRecordTimestampsAdvance()
    {
        var app = Name("punct");
        var input = _kafka.CreateTopic(app + "-in", 1);
        var outputTopic = _kafka.CreateTopic(app + "-out", 1);
        var topology = new TopologyBuilder(app)
            .AddSource(input, Deserializers.Utf8, Deserializers.Utf8, "ticker")
            .AddProcessor<string, string>("ticker", () => new Ticker())
            .AddSink<string, string>("ticks", outputTopic, Serializers.Utf8, Serializers.Utf8)
            .Build();
        using (var producer = new ProducerBuilder<string, string>(_kafka.ProducerConfig()).Build())
        {
            for (var t = 0; t <= 10_000; t += 250)
            {
                await producer.ProduceAsync(input, new Message<string, string> { Key = "k", Value = "v", Timestamp = new Timestamp(1_700_000_000_000 + t, TimestampType.CreateTime) }, TestContext.Current.CancellationToken);
            }
        }

        using var logs = TestOutputLoggerProvider.Factory(output);
        await using var instance = new CountingInstance(_kafka, app, input, outputTopic, _stateRoot, "a", topology: topology, loggerFactory: logs);
        await Eventually.TrueAsync(() => CountingResults.ReadAll(_kafka.BootstrapServers, outputTopic, 1).Count >= 3, TimeSpan.FromSeconds(30), "ticks", TestContext.Current.CancellationToken);
        await instance.StopAsync();

        var ticks = CountingResults.ReadAll(_kafka.BootstrapServers, outputTopic, 1).Select(r => long.Parse(Encoding.UTF8.GetString(r.Message.Value!), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([1_700_000_003_000L, 1_700_000_006_000L, 1_700_000_009_000L], ticks.Distinct());
    }

    [Fact]
    public async Task ProcessorThrowing_StopsTheInstanceWithTheErrorAndCommitsNothingAfterIt()
    {
        var app = Name("fatal");
        var input = _kafka.CreateTopic(app + "-in", 1);
        var outputTopic = _kafka.CreateTopic(app + "-out", 1);
        var topology = new TopologyBuilder(app)
            .AddSource(input, Deserializers.Utf8, Deserializers.Utf8, "failing")
            .AddProcessor<string, string>("failing", () => new Failing())
            .Build();
        using (var producer = new ProducerBuilder<string, string>(_kafka.ProducerConfig()).Build())
        {
            await producer.ProduceAsync(input, new Message<string, string> { Key = "k", Value = "fine" }, TestContext.Current.CancellationToken);
            await producer.ProduceAsync(input, new Message<string, string> { Key = "k", Value = "boom" }, TestContext.Current.CancellationToken);
        }

        await using var instance = new CountingInstance(_kafka, app, input, outputTopic, _stateRoot, "a", topology: topology);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => instance.Run.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        Assert.Equal("boom", error.Message);
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(_kafka.ConsumerConfig(app)).Build();
        var committed = consumer.Committed([new TopicPartition(input, 0)], TimeSpan.FromSeconds(10)).Single();
        Assert.True(committed.Offset == Offset.Unset || committed.Offset.Value <= 1, $"committed {committed.Offset}: the failing record must be processed again");
    }

    [Fact]
    public async Task ExactlyOnceV2_OnTheEmbeddedBroker_RunsAndEqualsTheOracle()
    {
        // The embedded broker does not implement transactions faithfully: this shows the transactional path runs
        // (init, begin, send offsets, commit) and gives exact results; it cannot prove atomicity or fencing.
        var app = Name("eos");
        var input = _kafka.CreateTopic(app + "-in", Partitions);
        var outputTopic = _kafka.CreateTopic(app + "-out", Partitions);
        _kafka.Cluster.CreateTopic(CountingTopology.Changelog(app), Partitions, 1);
        var workload = new CountingWorkload(seed: 22, keys: 40);
        using (var producer = new ProducerBuilder<string, byte[]>(_kafka.ProducerConfig()).Build())
        {
            CountingWorkload.Produce(producer, input, workload.Next(2_000), 1_700_000_000_000);
        }

        await using var instance = new CountingInstance(_kafka, app, input, outputTopic, _stateRoot, "a", o => o.Guarantee = ProcessingGuarantee.ExactlyOnceV2);
        await WaitForOracleAsync(outputTopic, workload);
        await instance.StopAsync();
    }

    public void Dispose()
    {
        _kafka.Dispose();
        if (Directory.Exists(_stateRoot))
        {
            Directory.Delete(_stateRoot, recursive: true);
        }
    }

    private List<(long Offset, long? Epoch)> Markers(string changelog) =>
        CountingResults.ReadAll(_kafka.BootstrapServers, changelog, 1)
            .Where(r => r.Message.Headers.TryGetLastBytes(ProcessingHeaders.Marker, out _))
            .Select(r => (r.Offset.Value, ProcessingHeaders.ReadInt64(r.Message.Headers, ProcessingHeaders.Epoch)))
            .ToList();

    private static string Name(string name) => $"feat-{name}-{Guid.NewGuid():N}"[..28];

    private void ProduceSplit(string odd, string even, CountingWorkload workload, int count)
    {
        using var producer = new ProducerBuilder<string, byte[]>(_kafka.ProducerConfig()).Build();
        var batch = workload.Next(count);
        CountingWorkload.Produce(producer, odd, batch.Where(r => r.Record.Id % 2 == 1).ToList(), 1_700_000_000_000);
        CountingWorkload.Produce(producer, even, batch.Where(r => r.Record.Id % 2 == 0).ToList(), 1_700_000_000_000);
    }

    private Task WaitForOracleAsync(string topic, CountingWorkload workload) =>
        CountingResults.WaitForOracleAsync(_kafka.BootstrapServers, topic, Partitions, workload, TimeSpan.FromSeconds(90), "outputs equal the oracle");

    private sealed class RecordDeserializer : IDeserializer<CountingRecord>
    {
        public CountingRecord Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => CountingRecord.Parse(data);
    }

    /// <summary>Emits the stream time each time a 3-second stream-time punctuation fires.</summary>
    private sealed class Ticker : IProcessor<string, string>
    {
        private IProcessorContext _context = null!;

        public void Init(IProcessorContext context)
        {
            _context = context;
            context.Schedule(TimeSpan.FromSeconds(3), PunctuationType.StreamTime, now =>
                _context.Emit("ticks", "k", now.ToString(System.Globalization.CultureInfo.InvariantCulture), now, now));
        }

        public void Process(Record<string, string> record)
        {
        }
    }

    private sealed class Failing : IProcessor<string, string>
    {
        public void Init(IProcessorContext context)
        {
        }

        public void Process(Record<string, string> record)
        {
            if (record.Value == "boom")
            {
                throw new InvalidOperationException("boom");
            }
        }
    }
}
