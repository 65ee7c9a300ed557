using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;
using Streaming.Contracts.Ops.V1;
using Streaming.EmbeddedKafka;
using Streaming.Processing.CountingApp;
using Streaming.Processing.Errors;
using Streaming.Processing.Runtime;
using Streaming.Processing.State;
using Streaming.Processing.Tasks;
using Streaming.Processing.Tests.Counting;
using Streaming.Serialization;
using Streaming.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Streaming.Processing.Tests.Runtime;

/// <summary>Bad records, a zombie's late changelog writes, a changelog the broker no longer holds, Kafka refusing writes.</summary>
public sealed class RuntimeFaultTests(ITestOutputHelper output) : IDisposable
{
    private const int Partitions = 3;
    private readonly EmbeddedKafkaFixture _kafka = new();
    private readonly string _stateRoot = Path.Combine(Path.GetTempPath(), "processing-faults-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task BadRecords_GoToTheDeadLetterTopicWithTheirOrigin_AndProcessingGoesOn()
    {
        var (app, input, output) = Topics("dlq");
        var dlq = app + "-dlq";
        _kafka.Cluster.CreateTopic(dlq, 1, 1);
        var workload = new CountingWorkload(seed: 11, keys: 20);
        using (var producer = new ProducerBuilder<string, byte[]>(_kafka.ProducerConfig()).Build())
        {
            CountingWorkload.Produce(producer, input, workload.Next(500), 1_700_000_000_000);
            await producer.ProduceAsync(input, new Message<string, byte[]> { Key = "BAD1", Value = [1, 2, 3] }, TestContext.Current.CancellationToken);
            await producer.ProduceAsync(input, new Message<string, byte[]> { Key = "BAD2", Value = new CountingRecord(0, 5).ToBytes() }, TestContext.Current.CancellationToken);
            CountingWorkload.Produce(producer, input, workload.Next(500), 1_700_000_001_000);
        }

        await using var instance = new CountingInstance(_kafka, app, input, output, _stateRoot, "a");
        await WaitForOracleAsync(output, workload);
        await Eventually.TrueAsync(() => CountingResults.ReadAll(_kafka.BootstrapServers, dlq, 1).Count == 2, TimeSpan.FromSeconds(30), "two dead letters", TestContext.Current.CancellationToken);
        await instance.StopAsync();

        var letters = CountingResults.ReadAll(_kafka.BootstrapServers, dlq, 1).ToDictionary(r => Encoding.UTF8.GetString(r.Message.Key!));
        var undecodable = DeadLetter.Parser.ParseFrom(letters["BAD1"].Message.Value);
        Assert.Equal(DeadLetterErrorKind.Deserialization, undecodable.ErrorKind);
        Assert.Equal(input, undecodable.SourceTopic);
        Assert.Equal([1, 2, 3], undecodable.Value.ToByteArray());
        Assert.Equal("Deserialization", Header(letters["BAD1"], DeadLetterHeaders.ErrorKind));
        Assert.Equal(input, Header(letters["BAD1"], DeadLetterHeaders.SourceTopic));
        Assert.Equal(undecodable.SourceOffset.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(letters["BAD1"], DeadLetterHeaders.SourceOffset));

        var invalid = DeadLetter.Parser.ParseFrom(letters["BAD2"].Message.Value);
        Assert.Equal(DeadLetterErrorKind.Validation, invalid.ErrorKind);
        Assert.Contains("id must be positive", invalid.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZombieWriteAfterTakeover_IsIgnoredByTheRestore()
    {
        var (app, input, output) = Topics("zombie");
        var workload = new CountingWorkload(seed: 12, keys: 10);
        Produce(input, workload, 1_000);
        await using (var first = new CountingInstance(_kafka, app, input, output, _stateRoot, "a"))
        {
            await WaitForOracleAsync(output, workload);
            await first.StopAsync();
        }

        // A zombie of epoch 0 (older than the owner's marker) writes a wrong total for every key after the takeover.
        var changelog = CountingTopology.Changelog(app);
        using (var zombie = new ProducerBuilder<byte[], byte[]>(_kafka.ProducerConfig("zombie")).Build())
        {
            foreach (var key in workload.Oracle.Keys)
            {
                var bogus = new SumStateSerde().Serialize(new SumState { Total = -1, Count = -1, Revision = 1_000_000 });
                var partition = CountingResults.ReadAll(_kafka.BootstrapServers, output, Partitions).First(r => Encoding.UTF8.GetString(r.Message.Key!) == key).Partition;
                await zombie.ProduceAsync(new TopicPartition(changelog, partition), new Message<byte[], byte[]>
                {
                    Key = Encoding.UTF8.GetBytes(key),
                    Value = bogus,
                    Headers = new Headers { { ProcessingHeaders.Epoch, ProcessingHeaders.EncodeInt64(0) } },
                }, TestContext.Current.CancellationToken);
            }
        }

        Directory.Delete(Path.Combine(_stateRoot, app), recursive: true);
        using var metrics = new ProcessingMetrics();
        using var stale = new MeasuredCounter(metrics, "streaming.processing.stale_writes.rejected");
        await using var second = new CountingInstance(_kafka, app, input, output, _stateRoot, "a", metrics: metrics);
        Produce(input, workload, 1_000);
        await WaitForOracleAsync(output, workload);
        await second.StopAsync();

        Assert.True(stale.Total >= workload.Oracle.Count, $"stale writes rejected: {stale.Total}");
        Assert.Equal(CountingResults.Sorted(workload.Oracle), CountingResults.Sorted(CountingResults.ReadChangelog(_kafka.BootstrapServers, changelog, Partitions).State));
    }

    [Fact]
    public async Task LaterClaimWhileTheOwnerRuns_TheOwnerCommitsNothingAfterIt_AndClaimsAgain()
    {
        // A zombie that restored and claimed every task with a higher epoch while the owner kept running (on a real
        // group: a member that lost its session, thawed, and re-created its tasks before its commit was refused). A
        // restore ignores the owner's writes after that claim, so the owner must not commit the inputs behind them.
        var (app, input, outputTopic) = Topics("claim");
        var workload = new CountingWorkload(seed: 15, keys: 30);
        Produce(input, workload, 1_000);
        using var metrics = new ProcessingMetrics();
        using var corrupted = new MeasuredCounter(metrics, "streaming.processing.tasks.corrupted");
        using var logs = TestOutputLoggerProvider.Factory(output);
        await using var instance = new CountingInstance(_kafka, app, input, outputTopic, _stateRoot, "a", metrics: metrics, loggerFactory: logs);
        await WaitForOracleAsync(outputTopic, workload);

        var changelog = CountingTopology.Changelog(app);
        using (var zombie = new ProducerBuilder<byte[], byte[]>(_kafka.ProducerConfig("zombie")).Build())
        {
            for (var partition = 0; partition < Partitions; partition++)
            {
                await zombie.ProduceAsync(new TopicPartition(changelog, partition), new Message<byte[], byte[]>
                {
                    Key = "\0streaming.owner"u8.ToArray(),
                    Value = ProcessingHeaders.EncodeInt64(1_000_000),
                    Headers = new Headers { { ProcessingHeaders.Epoch, ProcessingHeaders.EncodeInt64(1_000_000) }, { ProcessingHeaders.Marker, "owner"u8.ToArray() } },
                }, TestContext.Current.CancellationToken);
            }
        }

        Produce(input, workload, 1_000);
        await WaitForOracleAsync(outputTopic, workload);
        await Eventually.TrueAsync(() => corrupted.Total >= Partitions, TimeSpan.FromSeconds(30), "every task superseded", TestContext.Current.CancellationToken);
        using (var group = new ConsumerBuilder<Ignore, Ignore>(_kafka.ConsumerConfig(app, "offsets")).Build())
        {
            var partitions = Enumerable.Range(0, Partitions).Select(p => new TopicPartition(input, p)).ToList();
            await Eventually.TrueAsync(
                () => instance.Application.Tasks.Count == Partitions && instance.Application.AllTasksRunning
                    && group.Committed(partitions, TimeSpan.FromSeconds(10)).TrueForAll(c => c.Offset.Value == group.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(10)).High.Value),
                TimeSpan.FromSeconds(60), "the tasks claimed again, and every input committed", TestContext.Current.CancellationToken);
        }

        await instance.StopAsync();

        // The changelog replayed as any later restore reads it: the owner's writes after the zombie's claim are
        // ignored, those after its own new claim count, and together they equal the oracle.
        Assert.Equal(CountingResults.Sorted(workload.Oracle), CountingResults.Sorted(CountingResults.ReadChangelog(_kafka.BootstrapServers, changelog, Partitions).State));
    }

    [Fact]
    public async Task SnapshotAheadOfTheChangelog_StopsTheInstanceWithATypedError()
    {
        var (app, input, output) = Topics("truncated");
        WriteSnapshotAhead(app);

        await using var instance = new CountingInstance(_kafka, app, input, output, _stateRoot, "a");

        var error = await Assert.ThrowsAsync<ChangelogTruncatedException>(() => instance.Run.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        Assert.Contains($"{CountingTopology.Changelog(app)}[0] from offset 10000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SnapshotAheadOfTheChangelog_RestoreAndReport_CountsItAndRuns()
    {
        var (app, input, output) = Topics("truncated-report");
        WriteSnapshotAhead(app);
        using var metrics = new ProcessingMetrics();
        using var truncated = new MeasuredCounter(metrics, "streaming.processing.restore.truncated");
        var workload = new CountingWorkload(seed: 13, keys: 10);
        Produce(input, workload, 500);

        await using var instance = new CountingInstance(_kafka, app, input, output, _stateRoot, "a", o => o.OnChangelogTruncated = ChangelogTruncationPolicy.RestoreAndReport, metrics: metrics);
        await WaitForOracleAsync(output, workload);
        await instance.StopAsync();

        Assert.Equal(1, truncated.Total);
    }

    [Fact]
    public async Task KafkaRefusingOutputs_TasksAreRestoredAndNothingIsLostOrCountedTwice()
    {
        var (app, input, outputTopic) = Topics("refused");
        var workload = new CountingWorkload(seed: 14, keys: 50);
        Produce(input, workload, 2_000);
        using var metrics = new ProcessingMetrics();
        using var corrupted = new MeasuredCounter(metrics, "streaming.processing.tasks.corrupted");
        _kafka.Cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.TopicAuthorizationFailed, ErrorCode.TopicAuthorizationFailed, ErrorCode.TopicAuthorizationFailed);

        using var logs = TestOutputLoggerProvider.Factory(output);
        await using var instance = new CountingInstance(_kafka, app, input, outputTopic, _stateRoot, "a", metrics: metrics, loggerFactory: logs);
        await WaitForOracleAsync(outputTopic, workload);
        Produce(input, workload, 2_000);
        await WaitForOracleAsync(outputTopic, workload);
        await instance.StopAsync();

        Assert.True(corrupted.Total >= 1, "the refused writes went through the corrupted-task path");
        Assert.Equal(CountingResults.Sorted(workload.Oracle), CountingResults.Sorted(CountingResults.ReadChangelog(_kafka.BootstrapServers, CountingTopology.Changelog(app), Partitions).State));
    }

    public void Dispose()
    {
        _kafka.Dispose();
        if (Directory.Exists(_stateRoot))
        {
            Directory.Delete(_stateRoot, recursive: true);
        }
    }

    private void WriteSnapshotAhead(string app)
    {
        var directory = new StateDirectory(_stateRoot, app, NullLogger<StateDirectory>.Instance);
        directory.Save(new TaskSnapshot(new TaskId(0), 3, [new StoreSnapshot(CountingTopology.Store, CountingTopology.Changelog(app), 0, 10_000, 3, [])]));
    }

    private static string? Header(ConsumeResult<byte[]?, byte[]?> record, string key) =>
        record.Message.Headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    private (string App, string Input, string Output) Topics(string name)
    {
        var app = $"faults-{name}-{Guid.NewGuid():N}"[..30];
        var input = _kafka.CreateTopic(app + "-in", Partitions);
        var output = _kafka.CreateTopic(app + "-out", Partitions);
        _kafka.Cluster.CreateTopic(CountingTopology.Changelog(app), Partitions, 1);
        return (app, input, output);
    }

    private void Produce(string topic, CountingWorkload workload, int count)
    {
        using var producer = new ProducerBuilder<string, byte[]>(_kafka.ProducerConfig()).Build();
        CountingWorkload.Produce(producer, topic, workload.Next(count), 1_700_000_000_000 + workload.Produced);
    }

    private Task WaitForOracleAsync(string output, CountingWorkload workload) =>
        CountingResults.WaitForOracleAsync(_kafka.BootstrapServers, output, Partitions, workload, TimeSpan.FromSeconds(90), "outputs equal the oracle");

    /// <summary>Sums one counter of the runtime's meter while the test runs.</summary>
    private sealed class MeasuredCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public MeasuredCounter(ProcessingMetrics metrics, string instrument)
        {
            _listener.InstrumentPublished = (i, l) =>
            {
                if (ReferenceEquals(i.Meter, metrics.Meter) && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
