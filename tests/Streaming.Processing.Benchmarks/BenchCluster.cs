using Confluent.Kafka;
using Streaming.Kafka;
using Streaming.Testing;

namespace Streaming.Processing.Benchmarks;

/// <summary>
/// The embedded broker of a run (<see cref="EmbeddedKafkaFixture"/>: librdkafka's mock cluster, 3 brokers, in this
/// process), the threads it started (to tell its CPU apart), and the harness's own queries of it.
/// </summary>
internal sealed class BenchCluster : IDisposable
{
    private const int ReplicationFactor = 3;
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);
    private readonly EmbeddedKafkaFixture _fixture;
    private readonly IConsumer<byte[], byte[]> _watermarks;

    public BenchCluster()
    {
        var before = ThreadUsage.Snapshot();
        _fixture = new EmbeddedKafkaFixture();
        MockThreads = ThreadUsage.Started(before, ThreadUsage.Snapshot());
        // Every client of every pipeline gets these options: the project's defaults, except the fetch wait that
        // ./run.sh lowers for the embedded broker (it holds a fetch that finds nothing for the whole wait).
        Options = _fixture.Options(o => o.Consumer.FetchMaxWait = TimeSpan.FromMilliseconds(50));
        _watermarks = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(Options, "bench-harness", "bench-harness")).Build();
    }

    public KafkaOptions Options { get; }

    public string BootstrapServers => _fixture.BootstrapServers;

    /// <summary>Threads that started with the mock cluster: its brokers.</summary>
    public HashSet<int> MockThreads { get; }

    /// <summary>Creates <paramref name="name"/> (exactly that name) with replication factor 3.</summary>
    public string CreateTopic(string name, int partitions)
    {
        _fixture.Cluster.CreateTopic(name, partitions, ReplicationFactor);
        return name;
    }

    /// <summary>The end offset of each partition of <paramref name="topic"/>.</summary>
    public long[] EndOffsets(string topic) =>
        [.. Enumerable.Range(0, BenchmarkOptions.Partitions).Select(p => _watermarks.QueryWatermarkOffsets(new TopicPartition(topic, p), QueryTimeout).High.Value)];

    /// <summary>A probe of one pipeline's progress: its output's end offsets and its group's committed input offsets.</summary>
    public ProgressProbe Probe(string groupId, string input, long[] inputEnds, string output) =>
        new(new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(Options, groupId, "bench-probe")).Build(), this, input, inputEnds, output);

    public void Dispose()
    {
        _watermarks.Dispose();
        _fixture.Dispose();
    }
}

/// <summary>
/// Reads how far a pipeline is, as any outside client would: a consumer of the pipeline's group that never joins it
/// (no subscription), asking only for the committed offsets, and the output topic's end offsets.
/// </summary>
internal sealed class ProgressProbe(IConsumer<byte[], byte[]> consumer, BenchCluster cluster, string input, long[] inputEnds, string output) : IDisposable
{
    private readonly List<TopicPartition> _inputs = [.. Enumerable.Range(0, inputEnds.Length).Select(p => new TopicPartition(input, p))];

    /// <summary>Records in the output topic.</summary>
    public long Outputs() => cluster.EndOffsets(output).Sum();

    /// <summary>Whether the group committed the end of every input partition: everything read, processed, its outputs acknowledged.</summary>
    public bool Drained()
    {
        var committed = consumer.Committed(_inputs, TimeSpan.FromSeconds(30));
        foreach (var offset in committed)
        {
            if (offset.Offset.Value < inputEnds[offset.Partition.Value])
            {
                return false;
            }
        }

        return committed.Count == inputEnds.Length;
    }

    public void Dispose() => consumer.Dispose();
}
