using Confluent.Kafka;
using Streaming.Kafka;
using Streaming.Testing;
using Streaming.Topics;

namespace TakerVolume.Benchmarks.Kafka;

/// <summary>
/// The embedded broker of a run with the project's topic catalog (<see cref="CatalogKafkaFixture"/>: librdkafka's
/// mock cluster, 3 brokers, in this process, every catalog topic created), the threads it started (to tell its CPU
/// apart), topics created for single runs with the partitions of the catalog topic they stand for, and the harness's
/// own queries.
/// </summary>
internal sealed class BenchKafka : IDisposable
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);
    private readonly CatalogKafkaFixture _fixture;
    private readonly TopicCatalog _catalog;
    private readonly Dictionary<string, int> _partitions = new(StringComparer.Ordinal);
    private readonly IConsumer<byte[], byte[]> _watermarks;

    public BenchKafka()
    {
        var before = ThreadUsage.Snapshot();
        _fixture = new CatalogKafkaFixture();
        MockThreads = ThreadUsage.Started(before, ThreadUsage.Snapshot());
        _catalog = TopicCatalog.LoadDefault().WithMaxReplicationFactor((short)_fixture.Cluster.BrokerCount);
        foreach (var topic in _fixture.Topics)
        {
            _partitions[topic.Name] = topic.Partitions;
        }

        // Every client of every pipeline gets these options: the project's defaults, except the fetch wait that
        // ./run.sh lowers for the embedded broker (it holds a fetch that finds nothing for the whole wait).
        Options = _fixture.Options(o => o.Consumer.FetchMaxWait = TimeSpan.FromMilliseconds(50));
        _watermarks = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(Options, "bench-harness", "bench-harness")).Build();
    }

    public KafkaOptions Options { get; }

    public string BootstrapServers => _fixture.BootstrapServers;

    /// <summary>Threads that started with the mock cluster: its brokers.</summary>
    public HashSet<int> MockThreads { get; }

    /// <summary>Creates <paramref name="name"/> with the partitions and replication factor of the catalog's <paramref name="like"/>.</summary>
    public string CreateTopicLike(string name, string like)
    {
        var spec = _catalog.Get(like);
        _fixture.Cluster.CreateTopic(name, spec.Partitions, spec.ReplicationFactor);
        _partitions[name] = spec.Partitions;
        return name;
    }

    public int Partitions(string topic) => _partitions[topic];

    /// <summary>The end offset of each partition of <paramref name="topic"/>.</summary>
    public long[] EndOffsets(string topic) =>
        [.. Enumerable.Range(0, Partitions(topic)).Select(p => _watermarks.QueryWatermarkOffsets(new TopicPartition(topic, p), QueryTimeout).High.Value)];

    /// <summary>A probe of one pipeline's progress: its first output topic's end offsets and its group's committed input offsets.</summary>
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
internal sealed class ProgressProbe(IConsumer<byte[], byte[]> consumer, BenchKafka kafka, string input, long[] inputEnds, string output) : IDisposable
{
    private readonly List<TopicPartition> _inputs = [.. Enumerable.Range(0, inputEnds.Length).Select(p => new TopicPartition(input, p))];

    /// <summary>Records in the output topic.</summary>
    public long Outputs() => kafka.EndOffsets(output).Sum();

    /// <summary>
    /// Whether the group committed the end of every input partition that has records (everything read, processed, its
    /// outputs acknowledged); a partition without records gets no commit (a market of a few symbols leaves some empty).
    /// </summary>
    public bool Drained()
    {
        var committed = consumer.Committed(_inputs, TimeSpan.FromSeconds(30));
        foreach (var offset in committed)
        {
            var end = inputEnds[offset.Partition.Value];
            if (end > 0 && offset.Offset.Value < end)
            {
                return false;
            }
        }

        return committed.Count == inputEnds.Length;
    }

    public void Dispose() => consumer.Dispose();
}
