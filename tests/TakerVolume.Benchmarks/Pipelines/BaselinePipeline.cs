using System.Diagnostics;
using Confluent.Kafka;
using Streaming.Kafka;

namespace TakerVolume.Benchmarks.Pipelines;

/// <summary>
/// The baseline (A): what an application without the runtime does at the least to be at-least-once. One group
/// consumer and one producer with the project's configurations, on one thread: consume up to 2 000 records per round
/// (first wait 50 ms, the runtime's <c>MaxPollRecords</c> and <c>PollTimeout</c>), produce each one's key, value and
/// timestamp unchanged, and every commit interval (the runtime's in the same run) wait for the producer to have every
/// record acknowledged, then commit the consumed offsets. No deserialization, no headers, no state.
/// </summary>
/// <remarks>Adapted from tests/Streaming.Processing.Benchmarks (its commit interval is fixed at 100 ms there).</remarks>
internal sealed class BaselinePipeline(KafkaOptions kafka, string input, string output, string groupId, TimeSpan commitInterval) : IPipeline
{
    private const int MaxPollRecords = 2_000;
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(50);
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

#pragma warning disable VSTHRD003 // The loop's own completion, started by StartAsync.
    public Task Completion => _completion.Task;
#pragma warning restore VSTHRD003

    public Task StartAsync(CancellationToken cancellationToken)
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
        return Task.CompletedTask;
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

                if (Stopwatch.GetElapsedTime(lastCommit) >= commitInterval)
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
