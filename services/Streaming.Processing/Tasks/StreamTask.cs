using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streaming.Contracts.Ops.V1;
using Streaming.Processing.Errors;
using Streaming.Processing.Processors;
using Streaming.Processing.Runtime;
using Streaming.Processing.State;

namespace Streaming.Processing.Tasks;

/// <summary>
/// One partition's worth of the topology (Kafka Streams' <c>StreamTask</c>): its processors, its stores and their
/// changelog positions, its stream time and punctuations, and the input positions processed but not yet committed.
/// Used only from the stream thread.
/// </summary>
internal sealed class StreamTask
{
    private readonly Dictionary<string, ILoggedStore> _stores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProcessorInstance> _processors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Topology.SourceNode> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<TopicPartition, long> _uncommitted = [];
    private readonly List<Punctuation> _punctuations = [];
    private readonly DeadLetterPublisher _deadLetters;
    private readonly ILogger _logger;
    private ConsumeResult<byte[]?, byte[]?>? _current;
    private long _processedSinceReport;

    public StreamTask(TaskId id, Topology.Topology topology, RecordCollector collector, DeadLetterPublisher deadLetters, ProcessingMetrics metrics, TimeProvider time, ILogger logger)
    {
        Id = id;
        IdBytes = Encoding.UTF8.GetBytes(id.ToString());
        Topology = topology;
        Collector = collector;
        Metrics = metrics;
        Time = time;
        _deadLetters = deadLetters;
        _logger = logger;
        foreach (var definition in topology.Stores)
        {
            var store = definition.Build();
            _stores.Add(definition.Name, store);
            Changelogs.Add(new ChangelogPosition(store, new TopicPartition(definition.ChangelogTopic, id.Partition)));
        }

        foreach (var source in topology.Sources)
        {
            _sources.Add(source.Topic, source);
            InputPartitions.Add(new TopicPartition(source.Topic, id.Partition));
        }
    }

    public TaskId Id { get; }

    public byte[] IdBytes { get; }

    public TaskState State { get; private set; } = TaskState.Created;

    public Topology.Topology Topology { get; }

    public RecordCollector Collector { get; }

    public ProcessingMetrics Metrics { get; }

    public TimeProvider Time { get; }

    /// <summary>The owner epoch, known once the restore has read the changelogs to their end.</summary>
    public long Epoch
    {
        get;
        set
        {
            field = value;
            EpochBytes = ProcessingHeaders.EncodeInt64(value);
        }
    }

    /// <summary><see cref="Epoch"/> as the header value stamped on every output (encoded once, not per record).</summary>
    public byte[] EpochBytes { get; private set; } = ProcessingHeaders.EncodeInt64(0);

    public long StreamTime { get; private set; } = -1;

    public List<ChangelogPosition> Changelogs { get; } = [];

    public List<TopicPartition> InputPartitions { get; } = [];

    /// <summary>When the task was created (for the restore duration), and whether a snapshot seeded it.</summary>
    public long CreatedAt { get; set; }

    public bool FromSnapshot { get; set; }

    /// <summary>The owner epoch recorded in the snapshot the stores were seeded from (0 without one).</summary>
    public long SnapshotEpoch { get; set; }

    /// <summary>Whether this owner has written its epoch marker into every changelog partition of the task.</summary>
    public bool OwnerMarkerWritten { get; set; }

    public long LastSnapshotAt { get; set; }

    public bool HasUncommitted => _uncommitted.Count > 0;

    public ILoggedStore? Store(string name) => _stores.GetValueOrDefault(name);

    public void TransitionTo(TaskState next)
    {
        if (!TaskStateTransitions.IsValid(State, next))
        {
            throw new InvalidOperationException($"Task {Id} cannot go from {State} to {next}.");
        }

        ProcessingLog.TaskTransition(_logger, Id, State, next);
        State = next;
    }

    /// <summary>Creates the processors, lets them see their restored stores, and has them re-emit their latest outputs.</summary>
    public void StartProcessing()
    {
        foreach (var node in Topology.Processors.Values)
        {
            _processors.Add(node.Name, node.Instantiate(this));
        }

        foreach (var processor in _processors.Values)
        {
            processor.Init();
        }

        foreach (var processor in _processors.Values)
        {
            processor.Republish();
        }

        TransitionTo(TaskState.Running);
    }

    public void Process(ConsumeResult<byte[]?, byte[]?> result)
    {
        _current = result;
        var timestamp = result.Message.Timestamp.UnixTimestampMs;
        if (timestamp > StreamTime)
        {
            StreamTime = timestamp;
        }

        _sources[result.Topic].Deliver(result, this);
        _current = null;
        _uncommitted[result.TopicPartition] = result.Offset.Value + 1;
        _processedSinceReport++;
        Punctuate(PunctuationType.StreamTime, StreamTime);
    }

    public void Invoke<TKey, TValue>(string processor, Record<TKey, TValue> record)
    {
        if (_processors.GetValueOrDefault(processor) is not ProcessorInstance<TKey, TValue> instance)
        {
            throw new InvalidOperationException($"No processor {processor} for {typeof(TKey).Name} → {typeof(TValue).Name} in task {Id}.");
        }

        try
        {
            instance.Process(record);
        }
        catch (RecordValidationException e)
        {
            DeadLetter(DeadLetterErrorKind.Validation, e.Message);
        }
    }

    public void DeadLetterUndecodable(ConsumeResult<byte[]?, byte[]?> result, Exception error)
    {
        ProcessingLog.DeadLettered(_logger, result.Topic, result.Partition.Value, result.Offset.Value, error.Message);
        _deadLetters.Publish(result, DeadLetterErrorKind.Deserialization, $"{error.GetType().Name}: {error.Message}");
    }

    public void DeadLetterCurrent(string reason) => DeadLetter(DeadLetterErrorKind.Validation, reason);

    public IDisposable AddPunctuation(Punctuation punctuation)
    {
        _punctuations.Add(punctuation);
        return punctuation;
    }

    public void PunctuateWallClock() => Punctuate(PunctuationType.WallClockTime, Time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Lets every processor emit what it coalesced since the last commit.</summary>
    public void FlushProcessors()
    {
        foreach (var processor in _processors.Values)
        {
            processor.Flush();
        }
    }

    /// <summary>Writes each store's changed keys to its changelog, stamped with this task's epoch.</summary>
    public int FlushChangelogs()
    {
        Collector.ChangelogEpoch = Epoch;
        var written = 0;
        foreach (var position in Changelogs)
        {
            written += position.Store.FlushChanges(Collector, Id.Partition);
        }

        return written;
    }

    /// <summary>The next offset to read per input partition, for everything processed since the last commit.</summary>
    public void CollectOffsets(List<TopicPartitionOffset> into)
    {
        foreach (var (partition, next) in _uncommitted)
        {
            into.Add(new TopicPartitionOffset(partition, next));
        }
    }

    public void MarkCommitted()
    {
        _uncommitted.Clear();
        Metrics.Processed(Id.ToString(), _processedSinceReport);
        _processedSinceReport = 0;
        foreach (var position in Changelogs)
        {
            // What this owner wrote (acknowledged) lies before this offset; anything a zombie wrote in between is of a lower epoch.
            if (Collector.NextOffsetAfterOwnWrites(position.Changelog) is { } next && next > position.NextOffset)
            {
                position.NextOffset = next;
            }

            Metrics.SetStoreEntries($"{Id}/{position.Store.Name}", position.Store.Count);
        }
    }

    public TaskSnapshot Snapshot()
    {
        var stores = new List<StoreSnapshot>(Changelogs.Count);
        foreach (var position in Changelogs)
        {
            stores.Add(new StoreSnapshot(position.Store.Name, position.Changelog.Topic, Id.Partition, position.NextOffset, Math.Max(position.MaxEpochSeen, Epoch), position.Store.SerializeAll()));
        }

        return new TaskSnapshot(Id, Epoch, stores);
    }

    /// <summary>Closes the processors; the stores go with the task object. Idempotent.</summary>
    public void Close(bool clean)
    {
        if (State == TaskState.Closed)
        {
            return;
        }

        foreach (var processor in _processors.Values)
        {
            processor.Close();
        }

        foreach (var punctuation in _punctuations)
        {
            punctuation.Dispose();
        }

        foreach (var position in Changelogs)
        {
            Metrics.ForgetStore($"{Id}/{position.Store.Name}");
            Metrics.SetRestoreRemaining($"{Id}/{position.Store.Name}", 0);
        }

        ProcessingLog.TaskClosed(_logger, Id, clean);
        TransitionTo(TaskState.Closed);
    }

    private void DeadLetter(DeadLetterErrorKind kind, string reason)
    {
        if (_current is null)
        {
            throw new InvalidOperationException("Dead-lettering needs a current input record (not available in punctuations).");
        }

        ProcessingLog.DeadLettered(_logger, _current.Topic, _current.Partition.Value, _current.Offset.Value, reason);
        _deadLetters.Publish(_current, kind, reason);
    }

    private void Punctuate(PunctuationType type, long now)
    {
        for (var i = 0; i < _punctuations.Count; i++)
        {
            var punctuation = _punctuations[i];
            if (punctuation.Type == type)
            {
                punctuation.MaybeFire(now);
            }
        }

        _punctuations.RemoveAll(static p => p.Cancelled);
    }
}
