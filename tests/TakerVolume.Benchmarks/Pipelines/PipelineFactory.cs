using Microsoft.Extensions.Logging;
using Streaming.Processing;
using Streaming.Serialization;
using TakerVolume.Benchmarks.Kafka;
using TakerVolume.Configuration;
using TakerVolume.Topology;

namespace TakerVolume.Benchmarks.Pipelines;

/// <summary>
/// Builds each kind of pipeline over an input topic, with names of its own (group, outputs, changelogs) created with the
/// partitions of the catalog topics they stand for, and the same runtime settings for every runtime pipeline.
/// </summary>
internal sealed class PipelineFactory(BenchKafka kafka, string stateRoot, TimeSpan commitInterval, ProcessingMeter meter, ILoggerFactory loggerFactory) : IDisposable
{
    public const string DeadLetterTopic = "binance.all.events.dead-letter.v1";
    private static readonly TakerVolumeTopics Catalog = new(TradingMarket.Spot);

    private readonly ProtobufSerdes _serdes = new(Microsoft.Extensions.Options.Options.Create(new SchemaRegistrySettings()), TimeProvider.System);

    public TimeSpan CommitInterval => commitInterval;

    /// <summary>The runtime's settings for every runtime pipeline of the run: its defaults except the commit interval and the state directory.</summary>
    public ProcessingOptions Processing(string deadLetterTopic) => new()
    {
        InstanceId = "bench",
        StateDirectory = stateRoot,
        CommitInterval = commitInterval,
        DeadLetterTopic = deadLetterTopic,
    };

    /// <summary>A new pipeline of <paramref name="kind"/> over <paramref name="input"/> (a topic like the raw aggTrade topic).</summary>
    public PipelineRun Create(PipelineKind kind, string input, string label)
    {
        if (kind == PipelineKind.TakerVolumeHost)
        {
            return Host(input);
        }

        var id = $"{label}-{Guid.NewGuid():N}"[..(label.Length + 9)];
        switch (kind)
        {
            case PipelineKind.Baseline:
            {
                var output = kafka.CreateTopicLike(id + "-out", Catalog.RawAggTrades);
                return new PipelineRun(kind, new BaselinePipeline(kafka.Options, input, output, id, commitInterval), input, output, Single(output), Empty);
            }

            case PipelineKind.PassThrough:
            {
                var output = kafka.CreateTopicLike(id + "-out", Catalog.RawAggTrades);
                var deadLetters = kafka.CreateTopicLike(id + "-dlq", DeadLetterTopic);
                var pipeline = new RuntimePipeline(PassThroughTopology.Build(id, input, output), Processing(deadLetters), kafka.Options, meter, loggerFactory);
                return new PipelineRun(kind, pipeline, input, output, Single(output), Empty);
            }

            case PipelineKind.TakerVolume:
            {
                var names = new TakerVolumeRunTopics(
                    id,
                    input,
                    Catalog.RawKlines,
                    kafka.CreateTopicLike(id + "-normalized", Catalog.Normalized),
                    kafka.CreateTopicLike(id + "-tumbling", Catalog.Tumbling),
                    kafka.CreateTopicLike(id + "-sliding", Catalog.Sliding),
                    kafka.CreateTopicLike(id + "-alerts", Catalog.Alerts),
                    kafka.CreateTopicLike(id + "-reconciliation", Catalog.Reconciliation),
                    kafka.CreateTopicLike(id + "-gaps", TakerVolumeTopics.FeedGaps),
                    kafka.CreateTopicLike(id + "-dlq", DeadLetterTopic));
                foreach (var (store, changelog) in names.Changelogs)
                {
                    kafka.CreateTopicLike(changelog, $"{Catalog.ApplicationId}-{store}-changelog");
                }

                // Its own metrics, gone with it: the program's host, run later in this process, exports the meter of the same name.
                var metrics = new TakerVolumeMetrics();
                var topology = BenchTakerVolumeTopology.Build(names, new TakerVolumeOptions(), metrics, _serdes, "bench");
                var pipeline = new RuntimePipeline(topology, Processing(names.DeadLetter), kafka.Options, meter, loggerFactory, metrics);
                return new PipelineRun(kind, pipeline, input, names.Normalized, names.Outputs, names.Changelogs);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    public void Dispose()
    {
        _serdes.Dispose();
    }

    private static Dictionary<string, string> Single(string output) => new(StringComparer.Ordinal) { ["output"] = output };

    private static Dictionary<string, string> Empty => new(StringComparer.Ordinal);

    /// <summary>The program's own host: the catalog's names (created with the broker), reading the catalog's raw topic.</summary>
    private PipelineRun Host(string input)
    {
        if (input != Catalog.RawAggTrades)
        {
            throw new ArgumentException($"The program reads {Catalog.RawAggTrades}, not {input}.", nameof(input));
        }

        var names = new TakerVolumeRunTopics(
            Catalog.ApplicationId, Catalog.RawAggTrades, Catalog.RawKlines, Catalog.Normalized, Catalog.Tumbling, Catalog.Sliding, Catalog.Alerts,
            Catalog.Reconciliation, TakerVolumeTopics.FeedGaps, DeadLetterTopic);
        var pipeline = new HostPipeline(kafka.BootstrapServers, Path.Combine(stateRoot, "host"), commitInterval, meter);
        return new PipelineRun(PipelineKind.TakerVolumeHost, pipeline, input, names.Normalized, names.Outputs, names.Changelogs);
    }
}
