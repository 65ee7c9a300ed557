using Confluent.Kafka;
using Streaming.Processing.Tests.Counting;
using Streaming.Testing;

namespace Streaming.Processing.Tests.Runtime;

/// <summary>The counting topology through the embedded broker: results equal the oracle across restarts and rebalances.</summary>
public sealed class ExactlyOnceTests(ITestOutputHelper output) : IDisposable
{
    private const int Partitions = 6;
    private readonly EmbeddedKafkaFixture _kafka = new();
    private readonly string _stateRoot = Path.Combine(Path.GetTempPath(), "processing-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Run_RecordsWithRepeatsAndReorders_OutputsAndStateEqualTheOracle()
    {
        var (app, input, outputTopic) = Topics("single");
        var workload = new CountingWorkload(seed: 1, keys: 200);
        ProduceBatch(input, workload, 20_000);

        await using var instance = new CountingInstance(_kafka, app, input, outputTopic, _stateRoot, "a");
        await WaitForOracleAsync(app, outputTopic, workload);
        await instance.StopAsync();

        AssertEqualsOracle(app, outputTopic, workload);
    }

    [Fact]
    public async Task Restart_AfterCleanStop_RestoresFromSnapshotAndContinuesExactly()
    {
        var (app, input, outputTopic) = Topics("restart");
        var workload = new CountingWorkload(seed: 2, keys: 100);
        ProduceBatch(input, workload, 5_000);
        await using (var first = new CountingInstance(_kafka, app, input, outputTopic, _stateRoot, "a"))
        {
            await WaitForOracleAsync(app, outputTopic, workload);
            await first.StopAsync();
        }

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_stateRoot, app), "snapshot.bin", SearchOption.AllDirectories));
        ProduceBatch(input, workload, 5_000);
        await using var second = new CountingInstance(_kafka, app, input, outputTopic, _stateRoot, "a");
        await WaitForOracleAsync(app, outputTopic, workload);
        await second.StopAsync();
        AssertEqualsOracle(app, outputTopic, workload);
    }

    [Fact]
    public async Task Restart_WithoutStateDirectory_RestoresFromTheChangelog()
    {
        var (app, input, outputTopic) = Topics("changelog");
        var workload = new CountingWorkload(seed: 3, keys: 100);
        ProduceBatch(input, workload, 5_000);
        await using (var first = new CountingInstance(_kafka, app, input, outputTopic, _stateRoot, "a"))
        {
            await WaitForOracleAsync(app, outputTopic, workload);
            await first.StopAsync();
        }

        Directory.Delete(Path.Combine(_stateRoot, app), recursive: true);
        ProduceBatch(input, workload, 5_000);
        await using var second = new CountingInstance(_kafka, app, input, outputTopic, _stateRoot, "a");
        await WaitForOracleAsync(app, outputTopic, workload);
        await second.StopAsync();
        AssertEqualsOracle(app, outputTopic, workload);
    }

    [Fact]
    public async Task TwoInstances_JoinAndLeave_TasksMoveAndResultsStayExact()
    {
        var (app, input, outputTopic) = Topics("rebalance");
        var workload = new CountingWorkload(seed: 4, keys: 300);
        ProduceBatch(input, workload, 5_000);
        using var logs = TestOutputLoggerProvider.Factory(output);
        await using var a = new CountingInstance(_kafka, app, input, outputTopic, Path.Combine(_stateRoot, "a"), "a", loggerFactory: logs);
        await Eventually.TrueAsync(() => a.Application.Tasks.Count == Partitions && a.Application.AllTasksRunning, TimeSpan.FromSeconds(60), "instance a runs all tasks", TestContext.Current.CancellationToken);

        await using var b = new CountingInstance(_kafka, app, input, outputTopic, Path.Combine(_stateRoot, "b"), "b", loggerFactory: logs);
        await Eventually.TrueAsync(() => b.Application.Tasks.Count > 0 && a.Application.Tasks.Count < Partitions, TimeSpan.FromSeconds(60), "tasks shared between a and b", TestContext.Current.CancellationToken);
        ProduceBatch(input, workload, 5_000);
        await a.StopAsync();
        await Eventually.TrueAsync(() => b.Application.Tasks.Count == Partitions && b.Application.AllTasksRunning, TimeSpan.FromSeconds(60), "instance b takes every task", TestContext.Current.CancellationToken);
        ProduceBatch(input, workload, 5_000);
        await WaitForOracleAsync(app, outputTopic, workload);
        await b.StopAsync();
        AssertEqualsOracle(app, outputTopic, workload);
    }

    public void Dispose()
    {
        _kafka.Dispose();
        if (Directory.Exists(_stateRoot))
        {
            Directory.Delete(_stateRoot, recursive: true);
        }
    }

    private (string App, string Input, string Output) Topics(string name)
    {
        var app = $"counting-{name}-{Guid.NewGuid():N}"[..30];
        var input = _kafka.CreateTopic(app + "-in", Partitions);
        var outputTopic = _kafka.CreateTopic(app + "-out", Partitions);
        _kafka.Cluster.CreateTopic(Streaming.Processing.CountingApp.CountingTopology.Changelog(app), Partitions, 1);
        return (app, input, outputTopic);
    }

    private void ProduceBatch(string topic, CountingWorkload workload, int count)
    {
        using var producer = new ProducerBuilder<string, byte[]>(_kafka.ProducerConfig()).Build();
        CountingWorkload.Produce(producer, topic, workload.Next(count), 1_700_000_000_000 + workload.Produced);
    }

    private Task WaitForOracleAsync(string app, string topic, CountingWorkload workload) =>
        CountingResults.WaitForOracleAsync(_kafka.BootstrapServers, topic, Partitions, workload, TimeSpan.FromSeconds(90), $"outputs of {app} equal the oracle");

    private void AssertEqualsOracle(string app, string topic, CountingWorkload workload)
    {
        var outputs = CountingResults.ReadOutputs(_kafka.BootstrapServers, topic, Partitions);
        var (state, stale) = CountingResults.ReadChangelog(_kafka.BootstrapServers, Streaming.Processing.CountingApp.CountingTopology.Changelog(app), Partitions);
        output.WriteLine($"produced {workload.Produced} ({workload.DuplicatesProduced} repeats) over {workload.Oracle.Count} keys; " +
            $"outputs {outputs.Records} records, {outputs.Repeats} repeats dropped, {outputs.Stale} stale; changelog stale {stale}");
        Assert.Equal(CountingResults.Sorted(workload.Oracle), CountingResults.Sorted(outputs.Latest));
        Assert.Equal(CountingResults.Sorted(workload.Oracle), CountingResults.Sorted(state));
    }
}
