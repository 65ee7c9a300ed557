using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streaming.Processing.Errors;
using Streaming.Processing.State;
using Streaming.Processing.Tasks;

namespace Streaming.Processing.Runtime;

/// <summary>
/// The processing loop (Kafka Streams' <c>StreamThread</c> with its <c>TaskManager</c>): one group consumer for the
/// driving topic, one consumer for the co-partitioned sources that follow it, one for restores, one producer. All on
/// one dedicated thread, rebalance callbacks included, so tasks need no locks.
/// <para>
/// The commit order is what makes results exactly-once without broker transactions: outputs acknowledged, then the
/// changelog records of the state that produced them, then the input offsets. A crash anywhere in between leaves
/// state at or ahead of the committed input, and records processed again are recognised by their identity.
/// </para>
/// </summary>
internal sealed partial class StreamThread : IDisposable
{
    private static readonly TimeSpan LagInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxReviveBackoff = TimeSpan.FromSeconds(5);

    private readonly Topology.Topology _topology;
    private readonly ProcessingOptions _options;
    private readonly IConsumer<byte[]?, byte[]?> _main;
    private readonly IConsumer<byte[]?, byte[]?>? _followers;
    private readonly ChangelogRestorer _restorer;
    private readonly RecordCollector _collector;
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly StateDirectory _stateDirectory;
    private readonly DeadLetterPublisher _deadLetters;
    private readonly ProcessingMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AutoOffsetReset _offsetReset;
    private readonly SortedDictionary<int, StreamTask> _tasks = [];
    private readonly Dictionary<int, IDisposable> _locks = [];
    private readonly HashSet<TopicPartition> _paused = [];
    private readonly List<TopicPartitionOffset> _offsets = [];
    private readonly List<StreamTask> _restored = [];

    /// <summary>Tasks closed because another instance claimed them after this one (see <see cref="Commit"/>), to be claimed again.</summary>
    private readonly List<int> _superseded = [];
    private long _lastCommit;
    private long _lastLag;
    private bool _transactionOpen;
    private TimeSpan _reviveBackoff;

    /// <summary>
    /// Set when the group refused a commit because this member is stale (see <see cref="IsStaleMember"/>): no task is
    /// re-created until the next assignment callback confirms which partitions are still ours.
    /// </summary>
    private bool _awaitingAssignment;
    private CancellationToken _stopping;

    /// <summary>Test hook called at each commit step (see <see cref="ICommitProbe"/>).</summary>
    public ICommitProbe? Probe { get; set; }

    public StreamThread(Topology.Topology topology, ProcessingOptions options, StreamThreadClients clients, StateDirectory stateDirectory, ProcessingMetrics metrics, TimeProvider time, ILogger logger)
    {
        _topology = topology;
        _options = options;
        _main = clients.Main;
        _followers = clients.Followers;
        _producer = clients.Producer;
        _offsetReset = clients.OffsetReset;
        _collector = new RecordCollector(clients.Producer);
        _restorer = new ChangelogRestorer(clients.Restore, options, metrics, logger);
        _stateDirectory = stateDirectory;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _deadLetters = new DeadLetterPublisher(_collector, options.DeadLetterTopic, $"{topology.ApplicationId}/{options.InstanceId}", time, metrics);
    }

    /// <summary>Task states for health checks and tests; read from other threads, so a copy.</summary>
    public IReadOnlyDictionary<TaskId, TaskState> TaskStates { get; private set; } = new Dictionary<TaskId, TaskState>();

    /// <summary>Runs until <paramref name="stopping"/> is cancelled (clean stop) or a fatal error (thrown, after closing tasks dirty).</summary>
    public void Run(CancellationToken stopping)
    {
        _stopping = stopping;
        ProcessingLog.Started(_logger, _topology.ApplicationId, _options.InstanceId, _topology.DrivingTopic, _topology.Sources.Count - 1, _options.Guarantee);
        if (_options.Guarantee == ProcessingGuarantee.ExactlyOnceV2)
        {
            _producer.InitTransactions(MetadataTimeout);
            BeginTransaction();
        }

        _main.Subscribe(_topology.DrivingTopic);
        _lastCommit = _time.GetTimestamp();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    RunOnce();
                }
                catch (TaskMigratedException e)
                {
                    ProcessingLog.TaskMigrated(_logger, e);
                    ReviveAll("migrated", awaitAssignment: IsStaleMember(e));
                }
                catch (DeliveryFailedException e)
                {
                    ProcessingLog.TasksCorrupted(_logger, e);
                    ReviveAll("delivery_failed");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            ProcessingLog.Failed(_logger, e);
            CloseAll(clean: false);
            _main.Close();
            throw;
        }

        ShutDown();
    }

    public void Dispose()
    {
        _restorer.Dispose();
        _followers?.Dispose();
        _main.Dispose();
        _collector.Dispose();
    }

    private void RunOnce()
    {
        if (!_restorer.Idle)
        {
            _restored.AddRange(_restorer.Step(_stopping));
        }

        if (_restored.Count > 0)
        {
            var ready = _restored.ToArray();
            _restored.Clear();
            foreach (var task in ready)
            {
                if (task.State == TaskState.Restoring && _tasks.TryGetValue(task.Id.Partition, out var current) && ReferenceEquals(current, task))
                {
                    OnChangelogsRead(task);
                }
            }
        }

        Poll(_main, _restorer.Idle ? _options.PollTimeout : TimeSpan.Zero);
        if (_followers is not null)
        {
            Poll(_followers, TimeSpan.Zero);
        }

        foreach (var task in _tasks.Values)
        {
            if (task.State == TaskState.Running)
            {
                task.PunctuateWallClock();
            }
        }

        if (_time.GetElapsedTime(_lastCommit) >= _options.CommitInterval)
        {
            Commit();
        }

        if (_superseded.Count > 0)
        {
            Reclaim();
        }

        if (_time.GetElapsedTime(_lastLag) >= LagInterval)
        {
            ReportLag();
        }
    }

    private void Poll(IConsumer<byte[]?, byte[]?> consumer, TimeSpan timeout)
    {
        for (var i = 0; i < _options.MaxPollRecords; i++)
        {
            var result = consumer.Consume(i == 0 ? timeout : TimeSpan.Zero);
            if (result is null)
            {
                return;
            }

            if (_tasks.TryGetValue(result.Partition.Value, out var task) && task.State == TaskState.Running)
            {
                task.Process(result);
            }
            else
            {
                // Not ready (restoring) or not ours any more: read it again once the task runs.
                consumer.Pause([result.TopicPartition]);
                consumer.Seek(result.TopicPartitionOffset);
                _paused.Add(result.TopicPartition);
            }
        }
    }

    private void Commit()
    {
        var started = _time.GetTimestamp();
        _lastCommit = started;
        _offsets.Clear();
        var changed = false;
        foreach (var task in _tasks.Values)
        {
            if (task.State == TaskState.Running)
            {
                task.FlushProcessors();
                task.CollectOffsets(_offsets);
                changed |= task.HasUncommitted || task.Changelogs.Exists(static p => p.Store.DirtyCount > 0);
            }
        }

        if (!changed && _collector.Pending == 0)
        {
            return;
        }

        // 1. Outputs (and dead letters) acknowledged.
        _collector.FlushOrThrow(_options.FlushTimeout, _stopping);
        Probe?.Reached(CommitPhase.OutputsFlushed);

        // 2. The state that produced them.
        foreach (var task in _tasks.Values)
        {
            if (task.State == TaskState.Running)
            {
                task.FlushChangelogs();
            }
        }

        _collector.FlushOrThrow(_options.FlushTimeout, _stopping);
        Probe?.Reached(CommitPhase.ChangelogFlushed);
        CloseSuperseded();

        // 3. The input positions, last: a crash before this replays records whose effects are already in the state.
        if (!CommitOffsets(_offsets))
        {
            // The group is rebalancing: the tasks stay ours until revoked; these offsets go with the next commit.
            return;
        }

        Probe?.Reached(CommitPhase.OffsetsCommitted);
        var now = _time.GetTimestamp();
        foreach (var task in _tasks.Values)
        {
            if (task.State != TaskState.Running)
            {
                continue;
            }

            task.MarkCommitted();
            if (_time.GetElapsedTime(task.LastSnapshotAt, now) >= _options.SnapshotInterval)
            {
                WriteSnapshot(task);
            }
        }

        _reviveBackoff = TimeSpan.Zero;
        _metrics.Committed(_time.GetElapsedTime(started));
    }

    /// <summary>
    /// Closes, without committing their input positions, the running tasks whose changelog received someone else's
    /// record after this owner's marker. Another instance claimed the task (a zombie, or the new owner after a
    /// rebalance this instance has not seen yet) with a higher epoch, so every restore ignores this owner's writes
    /// from that point: committing the inputs that produced them would lose those records. Not checked under
    /// <see cref="ProcessingGuarantee.ExactlyOnceV2"/>, where transaction markers leave gaps and the broker fences zombies.
    /// </summary>
    private void CloseSuperseded()
    {
        if (_options.Guarantee == ProcessingGuarantee.ExactlyOnceV2)
        {
            return;
        }

        foreach (var task in _tasks.Values)
        {
            if (task.State != TaskState.Running)
            {
                continue;
            }

            foreach (var position in task.Changelogs)
            {
                if (_collector.ForeignWriteSeen(position.Changelog))
                {
                    ProcessingLog.TaskSuperseded(_logger, task.Id, $"{position.Changelog.Topic}[{position.Changelog.Partition.Value}]");
                    _superseded.Add(task.Id.Partition);
                    break;
                }
            }
        }

        if (_superseded.Count == 0)
        {
            return;
        }

        foreach (var partition in _superseded)
        {
            if (_tasks.TryGetValue(partition, out var task))
            {
                _offsets.RemoveAll(o => task.InputPartitions.Contains(o.TopicPartition));
                _metrics.TasksCorrupted("superseded");
                CloseTask(partition, clean: false);
            }
        }

        PublishStates();
    }

    /// <summary>
    /// Claims the superseded tasks again, once a commit confirms this instance is a member of the group's current
    /// generation (the group then says the partitions are ours: the other claimant is the zombie, and its commits will
    /// be refused). A stale member's confirmation is refused instead, and its tasks wait for the next assignment.
    /// </summary>
    private void Reclaim()
    {
        var assigned = _main.Assignment;
        var partitions = new List<TopicPartition>(_superseded.Count);
        foreach (var partition in _superseded)
        {
            var input = new TopicPartition(_topology.DrivingTopic, partition);
            if (!_tasks.ContainsKey(partition) && assigned.Contains(input))
            {
                partitions.Add(input);
            }
        }

        _superseded.Clear();
        if (partitions.Count == 0)
        {
            return;
        }

        List<TopicPartitionOffset> committed;
        try
        {
            committed = _main.Committed(partitions, MetadataTimeout);
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            // The coordinator is moving or unreachable: try again on the next pass of the loop.
            ProcessingLog.ReclaimDeferred(_logger, e);
            foreach (var input in partitions)
            {
                _superseded.Add(input.Partition.Value);
            }

            return;
        }

        var confirm = committed.FindAll(static c => c.Offset != Offset.Unset);
        if (confirm.Count > 0)
        {
            try
            {
                // The positions the group already holds, committed again: a no-op for a member, refused for a stale one.
                _main.Commit(confirm);
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.RebalanceInProgress)
            {
                // A member of the current generation, in a rebalance: any partition that moves is revoked explicitly.
            }
            catch (KafkaException e) when (IsMigration(e.Error))
            {
                throw new TaskMigratedException($"Membership not confirmed after a takeover: {e.Error.Code} {e.Error.Reason}", e);
            }
        }

        RewindToCommitted(committed);
        foreach (var input in partitions)
        {
            CreateTask(new TaskId(input.Partition.Value));
        }

        PublishStates();
    }

    /// <summary>Commits the input positions; false when the group is rebalancing (nothing committed, to be retried).</summary>
    private bool CommitOffsets(List<TopicPartitionOffset> offsets)
    {
        try
        {
            if (_options.Guarantee == ProcessingGuarantee.ExactlyOnceV2)
            {
                _producer.SendOffsetsToTransaction(offsets, _main.ConsumerGroupMetadata, _options.FlushTimeout);
                _producer.CommitTransaction(_options.FlushTimeout);
                _transactionOpen = false;
                BeginTransaction();
            }
            else if (offsets.Count > 0)
            {
                _main.Commit(offsets);
            }

            return true;
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.RebalanceInProgress && _options.Guarantee != ProcessingGuarantee.ExactlyOnceV2)
        {
            // Not a migration (Kafka Streams: "non-fatal, commit may succeed still"): this member still owns its
            // partitions (cooperative rebalancing revokes them explicitly, through OnRevoked). Closing and re-creating
            // the tasks here would restore them and take a new owner epoch at every commit of every rebalance.
            return false;
        }
        catch (KafkaException e) when (IsMigration(e.Error))
        {
            throw new TaskMigratedException($"Commit refused: {e.Error.Code} {e.Error.Reason}", e);
        }
    }

    /// <summary>
    /// The commit was refused because this member's generation is over (expelled after a session timeout, or the
    /// group moved on): its partitions may already be another member's, which restored them and took a new epoch.
    /// </summary>
    private static bool IsStaleMember(TaskMigratedException e) =>
        e.InnerException is KafkaException { Error.Code: ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId };

    private static bool IsMigration(Error error) => error.Code is ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId
        or ErrorCode.RebalanceInProgress or ErrorCode.FencedInstanceId or ErrorCode.InvalidProducerEpoch
        or ErrorCode.ProducerFenced or ErrorCode.Local_Fenced or ErrorCode.Local_State;

    private void BeginTransaction()
    {
        if (!_transactionOpen)
        {
            _producer.BeginTransaction();
            _transactionOpen = true;
        }
    }

    private void WriteSnapshot(StreamTask task)
    {
        try
        {
            _stateDirectory.Save(task.Snapshot());
            task.LastSnapshotAt = _time.GetTimestamp();
        }
        catch (IOException e)
        {
            ProcessingLog.SnapshotFailed(_logger, task.Id, e);
        }
        catch (UnauthorizedAccessException e)
        {
            ProcessingLog.SnapshotFailed(_logger, task.Id, e);
        }
    }

    private void ReportLag()
    {
        _lastLag = _time.GetTimestamp();
        foreach (var partition in _main.Assignment)
        {
            var watermarks = _main.GetWatermarkOffsets(partition);
            var position = _main.Position(partition);
            if (watermarks.High.Value >= 0 && position.Value >= 0)
            {
                _metrics.SetLag($"{partition.Topic}[{partition.Partition.Value}]", Math.Max(0, watermarks.High.Value - position.Value));
            }
        }
    }

    private void PublishStates()
    {
        var states = new Dictionary<TaskId, TaskState>(_tasks.Count);
        foreach (var task in _tasks.Values)
        {
            states[task.Id] = task.State;
        }

        TaskStates = states;
    }
}
