using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Kafka;
using Streaming.Kafka.Statistics;
using Streaming.Processing.CountingApp;
using Streaming.Processing.Processors;
using Streaming.Processing.Topology;

namespace Streaming.Processing.Benchmarks;

/// <summary>One way of turning the input topic into an output topic, started and stopped by the harness.</summary>
internal interface IPipeline : IAsyncDisposable
{
    /// <summary>The consumer group whose committed offsets tell how far the input is done.</summary>
    string GroupId { get; }

    /// <summary>The kernel id of the thread that processes the records, once known; 0 before.</summary>
    int ProcessingThread { get; }

    /// <summary>Faults if the pipeline fails.</summary>
    Task Completion { get; }

    /// <summary>Commits so far, and the time the processing thread spent in them (waiting for acknowledgements, committing offsets).</summary>
    (TimeSpan Time, long Count) Commits { get; }

    /// <summary>Creates the clients and starts processing.</summary>
    void Start();

    /// <summary>Stops cleanly: last commit, leave the group (and, for the runtime, snapshots).</summary>
    Task StopAsync();
}

/// <summary>The three pipelines the throughput mode compares, in the order of each round.</summary>
internal enum PipelineKind
{
    /// <summary>A plain Confluent.Kafka consume→produce loop.</summary>
    Baseline,

    /// <summary>The runtime with a processor that emits each record unchanged (no store).</summary>
    PassThrough,

    /// <summary>The runtime with the counting topology (one changelogged store).</summary>
    Counting,

    /// <summary>Reference, not a pipeline: one consumer reading the input to its end, nothing produced or committed (the broker's read path).</summary>
    ConsumeOnly,
}

/// <summary>
/// The baseline: what an application without the runtime does at the least to be at-least-once. One group consumer
/// and one producer with the project's configurations (<see cref="KafkaClientConfigs"/>, as the runtime's), on one
/// thread: consume up to 2 000 records per round (the runtime's <c>MaxPollRecords</c>, first wait 50 ms, its
/// <c>PollTimeout</c>), produce each one's key, value and timestamp unchanged, and every 100 ms (the runtime's
/// <c>CommitInterval</c> in these runs) wait for the producer to have every record acknowledged, then commit the
/// consumed offsets. No deserialization, no headers, no state.
/// </summary>
internal sealed class BaselinePipeline(KafkaOptions kafka, string input, string output, string groupId) : IPipeline
{
    private const int MaxPollRecords = 2_000;
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan CommitInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(60);

    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<TopicPartition, long> _offsets = [];
    private readonly List<TopicPartitionOffset> _commit = [];
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private IProducer<byte[]?, byte[]?>? _producer;
    private Action<DeliveryReport<byte[]?, byte[]?>>? _onDelivered;
    private Thread? _thread;
    private volatile bool _stopping;
    private Error? _firstError;
    private int _processingThread;
    private long _commitTicks;
    private long _commits;

    public string GroupId { get; } = groupId;

    public (TimeSpan Time, long Count) Commits => (TimeSpan.FromTicks(Interlocked.Read(ref _commitTicks)), Interlocked.Read(ref _commits));

    public int ProcessingThread => Volatile.Read(ref _processingThread);

#pragma warning disable VSTHRD003 // The loop's own completion, started by Start.
    public Task Completion => _completion.Task;
#pragma warning restore VSTHRD003

    public void Start()
    {
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Consumer(kafka, GroupId, GroupId)).Build();
        _producer = new ProducerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Producer(kafka, GroupId)).Build();
        _onDelivered = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.CompareExchange(ref _firstError, report.Error, null);
            }
        };
        _thread = new Thread(Loop) { Name = "baseline-loop", IsBackground = true };
        _thread.Start();
    }

    public async Task StopAsync()
    {
        _stopping = true;
        await Completion.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Completion.IsCompleted)
        {
            _stopping = true;
            try
            {
                await Completion.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Already reported by the run that failed.
            }
        }

        _consumer?.Dispose();
        _producer?.Dispose();
    }

    private void Loop()
    {
        Volatile.Write(ref _processingThread, OsThread.CurrentId());
        var consumer = _consumer!;
        var producer = _producer!;
        var onDelivered = _onDelivered!;
        try
        {
            consumer.Subscribe(input);
            var destination = new TopicPartition(output, Partition.Any);
            var lastCommit = Stopwatch.GetTimestamp();
            while (!_stopping)
            {
                for (var i = 0; i < MaxPollRecords; i++)
                {
                    var result = consumer.Consume(i == 0 ? PollTimeout : TimeSpan.Zero);
                    if (result is null)
                    {
                        break;
                    }

                    var message = new Message<byte[]?, byte[]?> { Key = result.Message.Key, Value = result.Message.Value, Timestamp = result.Message.Timestamp };
                    while (true)
                    {
                        try
                        {
                            producer.Produce(destination, message, onDelivered);
                            break;
                        }
                        catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                        {
                            producer.Poll(TimeSpan.FromMilliseconds(50));
                        }
                    }

                    _offsets[result.TopicPartition] = result.Offset.Value + 1;
                }

                if (Stopwatch.GetElapsedTime(lastCommit) >= CommitInterval)
                {
                    lastCommit = Stopwatch.GetTimestamp();
                    Commit(consumer, producer);
                }
            }

            Commit(consumer, producer);
            consumer.Close();
            _completion.TrySetResult();
        }
#pragma warning disable CA1031 // The failure is handed to the harness through Completion.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _completion.TrySetException(e);
        }
    }

    private void Commit(IConsumer<byte[]?, byte[]?> consumer, IProducer<byte[]?, byte[]?> producer)
    {
        if (_offsets.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        if (producer.Flush(FlushTimeout) != 0)
        {
            throw new InvalidOperationException($"Outputs were not acknowledged within {FlushTimeout.TotalSeconds} s.");
        }

        if (Volatile.Read(ref _firstError) is { } error)
        {
            throw new InvalidOperationException($"Kafka refused an output: {error.Code} {error.Reason}");
        }

        _commit.Clear();
        foreach (var (partition, next) in _offsets)
        {
            _commit.Add(new TopicPartitionOffset(partition, next));
        }

        consumer.Commit(_commit);
        _offsets.Clear();
        Interlocked.Add(ref _commitTicks, Stopwatch.GetElapsedTime(started).Ticks);
        Interlocked.Increment(ref _commits);
    }
}

/// <summary>
/// One in-process instance of a topology on the runtime (<see cref="StreamsApplication"/>), wired as the runtime's
/// integration tests wire their counting instance: the project's Kafka clients through <see cref="KafkaClientFactory"/>,
/// commits every 100 ms, a state directory of its own.
/// </summary>
internal sealed class RuntimePipeline(Topology.Topology topology, KafkaOptions kafka, string stateRoot, ProcessingMeter meter, ILoggerFactory loggerFactory) : IPipeline
{
    private readonly CancellationTokenSource _stop = new();
    private ProcessingMetrics? _metrics;
    private Task _run = Task.CompletedTask;

    public string GroupId => topology.ApplicationId;

    public int ProcessingThread => meter.StreamThread;

    public (TimeSpan Time, long Count) Commits => meter.Commits;

#pragma warning disable VSTHRD003 // The stream thread's task, started by Start.
    public Task Completion => _run;
#pragma warning restore VSTHRD003

    public StreamsApplication? Application { get; private set; }

    public static ProcessingOptions Options(string applicationId, string stateRoot) => new()
    {
        InstanceId = "bench",
        StateDirectory = stateRoot,
        CommitInterval = TimeSpan.FromMilliseconds(100),
        DeadLetterTopic = applicationId + "-dlq",
    };

    public void Start()
    {
        var factory = new KafkaClientFactory(Microsoft.Extensions.Options.Options.Create(kafka), new KafkaStatisticsSink(), NullLogger<KafkaClientFactory>.Instance);
        _metrics = new ProcessingMetrics();
        Application = new StreamsApplication(topology, Options(topology.ApplicationId, stateRoot), factory, _metrics, TimeProvider.System, loggerFactory);
        _run = Application.RunAsync(_stop.Token);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await _run.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Already reported by the run that failed.
            }
        }

        Application?.Dispose();
        _metrics?.Dispose();
        _stop.Dispose();
    }
}

/// <summary>Topology B: source → a processor that emits each record unchanged → sink. Bytes in, bytes out, no store.</summary>
internal static class PassThroughTopology
{
    public const string Processor = "forward";
    public const string Sink = "out";

    public static Topology.Topology Build(string applicationId, string inputTopic, string outputTopic) =>
        new TopologyBuilder(applicationId)
            .AddSource(inputTopic, Deserializers.ByteArray, Deserializers.ByteArray, Processor)
            .AddProcessor(Processor, () => new ForwardProcessor())
            .AddSink(Sink, outputTopic, Serializers.ByteArray, Serializers.ByteArray)
            .Build();

    /// <summary>Emits the record as it came; its offset is a revision that only grows per key (one key stays in one partition).</summary>
    private sealed class ForwardProcessor : IProcessor<byte[], byte[]>
    {
        private IProcessorContext _context = null!;

        public void Init(IProcessorContext context) => _context = context;

        public void Process(Record<byte[], byte[]> record) => _context.Emit(Sink, record.Key, record.Value, record.Offset, record.Timestamp);
    }
}

/// <summary>Builds each kind of pipeline over the same input, with names of its own (group, output topic, changelog).</summary>
internal sealed class PipelineFactory(BenchCluster kafka, KafkaOptions options, string stateRoot, ProcessingMeter meter, ILoggerFactory loggerFactory)
{
    public (IPipeline Pipeline, string Output, string? Changelog) Create(PipelineKind kind, string input, string label)
    {
        var id = $"{label}-{Guid.NewGuid():N}"[..(label.Length + 9)];
        var output = kafka.CreateTopic(id + "-out", BenchmarkOptions.Partitions);
        kafka.CreateTopic(id + "-dlq", 1);
        return kind switch
        {
            PipelineKind.Baseline => (new BaselinePipeline(options, input, output, id), output, null),
            PipelineKind.PassThrough => (new RuntimePipeline(PassThroughTopology.Build(id, input, output), options, stateRoot, meter, loggerFactory), output, null),
            PipelineKind.Counting => (Counting(id, input, output), output, CountingTopology.Changelog(id)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>A counting instance with a new changelog topic.</summary>
    public RuntimePipeline Counting(string applicationId, string input, string output)
    {
        kafka.CreateTopic(CountingTopology.Changelog(applicationId), BenchmarkOptions.Partitions);
        return CountingOverExisting(applicationId, input, output);
    }

    /// <summary>A counting instance of an application whose topics exist: a restart.</summary>
    public RuntimePipeline CountingOverExisting(string applicationId, string input, string output) =>
        new(CountingTopology.Build(applicationId, input, output), options, stateRoot, meter, loggerFactory);
}
