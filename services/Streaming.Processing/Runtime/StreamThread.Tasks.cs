using Confluent.Kafka;
using Streaming.Processing.State;
using Streaming.Processing.Tasks;

namespace Streaming.Processing.Runtime;

/// <summary>Task management: rebalance callbacks (on the stream thread, inside Consume), creation, restore, close.</summary>
internal sealed partial class StreamThread : IRebalanceListener
{
    public void OnAssigned(IReadOnlyList<TopicPartition> partitions)
    {
        ProcessingLog.PartitionsAssigned(_logger, partitions);
        IEnumerable<TopicPartition> owned = partitions;
        if (_awaitingAssignment)
        {
            // After a stale member's refused commit: the partitions kept through the rebalance are confirmed ours only
            // now (in the cooperative protocol this callback comes at the end of every rebalance, possibly empty).
            _awaitingAssignment = false;
            owned = partitions.Concat(_main.Assignment);
        }

        foreach (var partition in owned)
        {
            if (!_tasks.ContainsKey(partition.Partition.Value))
            {
                CreateTask(new TaskId(partition.Partition.Value));
            }
        }

        PublishStates();
    }

    public void OnRevoked(IReadOnlyList<TopicPartition> partitions)
    {
        ProcessingLog.PartitionsRevoked(_logger, partitions);
        if (partitions.Any(p => _tasks.TryGetValue(p.Partition.Value, out var t) && t.State == TaskState.Running))
        {
            try
            {
                Commit();
            }
            catch (Exception e) when (e is Errors.TaskMigratedException or Errors.DeliveryFailedException)
            {
                // The partitions go anyway; whatever was not committed is processed again by the next owner.
                ProcessingLog.TaskMigrated(_logger, e);
                foreach (var partition in partitions)
                {
                    CloseTask(partition.Partition.Value, clean: false);
                }

                PublishStates();
                return;
            }
        }

        foreach (var partition in partitions)
        {
            CloseTask(partition.Partition.Value, clean: true);
        }

        PublishStates();
    }

    public void OnLost(IReadOnlyList<TopicPartition> partitions)
    {
        ProcessingLog.PartitionsLost(_logger, partitions);
        foreach (var partition in partitions)
        {
            CloseTask(partition.Partition.Value, clean: false);
        }

        PublishStates();
    }

    private void CreateTask(TaskId id)
    {
        _locks[id.Partition] = _stateDirectory.LockTask(id);
        var task = new StreamTask(id, _topology, _collector, _deadLetters, _metrics, _time, _logger)
        {
            CreatedAt = _time.GetTimestamp(),
            LastSnapshotAt = _time.GetTimestamp(),
        };
        var load = _stateDirectory.Load(id);
        var outcome = load.Outcome.ToString();
        var reason = load.Reason;
        if (load.Snapshot is { } snapshot && !Seed(task, snapshot))
        {
            outcome = SnapshotLoadOutcome.Corrupt.ToString();
            reason = "its stores do not match the topology's";
        }

        ProcessingLog.RestoreStarted(_logger, id, outcome, reason);
        _tasks[id.Partition] = task;
        task.TransitionTo(TaskState.Restoring);
        if (_followers is not null)
        {
            AssignFollowers(task);
        }

        _restorer.Begin(task);
        if (task.Changelogs.TrueForAll(static p => p.Restored))
        {
            // Not here: this runs inside the rebalance callback, where a failed write must not escape.
            _restored.Add(task);
        }
    }

    /// <summary>Loads a snapshot into the task's stores; false (stores left empty) when it does not fit the topology.</summary>
    private static bool Seed(StreamTask task, TaskSnapshot snapshot)
    {
        if (snapshot.Stores.Count != task.Changelogs.Count)
        {
            return false;
        }

        foreach (var position in task.Changelogs)
        {
            var stored = snapshot.Stores.FirstOrDefault(s => string.Equals(s.StoreName, position.Store.Name, StringComparison.Ordinal)
                && string.Equals(s.ChangelogTopic, position.Changelog.Topic, StringComparison.Ordinal));
            if (stored is null)
            {
                foreach (var p in task.Changelogs)
                {
                    p.Store.Clear();
                    p.NextOffset = 0;
                    p.MaxEpochSeen = 0;
                }

                return false;
            }

            foreach (var (key, value) in stored.Entries)
            {
                position.Store.Restore(key, value);
            }

            position.NextOffset = stored.NextOffset;
            position.MaxEpochSeen = stored.MaxEpochSeen;
        }

        task.SnapshotEpoch = snapshot.OwnerEpoch;
        task.FromSnapshot = true;
        return true;
    }

    /// <summary>
    /// The changelogs are read to their end. First time: this owner takes the next epoch and writes its marker into
    /// every changelog partition, then reads on up to the marker (a zombie's writes before it are legitimate state;
    /// after it they lose). Second time: the task runs.
    /// </summary>
    private void OnChangelogsRead(StreamTask task)
    {
        if (task.Changelogs.Count > 0 && !task.OwnerMarkerWritten)
        {
            var seen = task.SnapshotEpoch;
            foreach (var position in task.Changelogs)
            {
                seen = Math.Max(seen, position.MaxEpochSeen);
            }

            // A task with several stores first fences its other changelogs with a provisional marker (above every epoch
            // seen, so a zombie's later writes there lose), and only then claims: a zombie's write that lands before
            // the fence lands before the claim too, and counts in every store alike.
            var provisional = seen + 1;
            for (var i = 1; i < task.Changelogs.Count; i++)
            {
                var changelog = task.Changelogs[i].Changelog;
                _collector.WriteMarker(changelog.Topic, changelog.Partition.Value, provisional);
            }

            if (task.Changelogs.Count > 1)
            {
                _collector.FlushOrThrow(_options.FlushTimeout, _stopping);
            }

            // The claim's offset gives the epoch: the log orders claims, so of two instances claiming the task at once
            // (a zombie and the owner), the later claim out-ranks the earlier and their epochs never tie.
            var first = task.Changelogs[0].Changelog;
            _collector.WriteMarker(first.Topic, first.Partition.Value, epoch: null);
            _collector.FlushOrThrow(_options.FlushTimeout, _stopping);
            var claim = _collector.NextOffsetAfterOwnWrites(first) - 1
                ?? throw new InvalidOperationException($"Task {task.Id}: the claim in {first} was acknowledged without an offset.");
            task.Epoch = Math.Max(provisional, ProcessingHeaders.ClaimEpoch(claim));
            var ownWrites = 1;
            if (task.Epoch > provisional)
            {
                ownWrites = 2;
                for (var i = 1; i < task.Changelogs.Count; i++)
                {
                    var changelog = task.Changelogs[i].Changelog;
                    _collector.WriteMarker(changelog.Topic, changelog.Partition.Value, task.Epoch);
                }

                _collector.FlushOrThrow(_options.FlushTimeout, _stopping);
            }

            task.OwnerMarkerWritten = true;
            var catchUp = false;
            for (var i = 0; i < task.Changelogs.Count; i++)
            {
                // This owner's markers landed one after another right where the restore stopped: nobody wrote in
                // between, nothing to read.
                var position = task.Changelogs[i];
                var written = i == 0 ? 1 : ownWrites;
                if (_collector.NextOffsetAfterOwnWrites(position.Changelog) is { } next && next - written == position.NextOffset)
                {
                    position.NextOffset = next;
                    position.RestoreEnd = next;
                    position.MaxEpochSeen = task.Epoch;
                }
                else
                {
                    catchUp = true;
                }
            }

            if (catchUp)
            {
                _restorer.Begin(task);
                if (!task.Changelogs.TrueForAll(static p => p.Restored))
                {
                    return;
                }
            }
        }

        if (task.Changelogs.Exists(p => p.MaxEpochSeen > task.Epoch))
        {
            // Read on up to its own marker, the restore met a later claim: this owner's writes would be ignored.
            ProcessingLog.TaskSuperseded(_logger, task.Id, string.Join(", ", task.Changelogs.Where(p => p.MaxEpochSeen > task.Epoch).Select(p => $"{p.Changelog.Topic}[{p.Changelog.Partition.Value}]")));
            _metrics.TasksCorrupted("superseded");
            CloseTask(task.Id.Partition, clean: false);
            _superseded.Add(task.Id.Partition);
            PublishStates();
            return;
        }

        task.StartProcessing();
        var elapsed = _time.GetElapsedTime(task.CreatedAt);
        _metrics.RestoreFinished(elapsed, task.FromSnapshot);
        ProcessingLog.RestoreFinished(_logger, task.Id, elapsed.TotalSeconds, task.Epoch);
        Resume(task);
        PublishStates();
    }

    private void AssignFollowers(StreamTask task)
    {
        var followers = task.InputPartitions.Where(p => !string.Equals(p.Topic, _topology.DrivingTopic, StringComparison.Ordinal)).ToList();
        var committed = _main.Committed(followers, MetadataTimeout);
        var start = committed.Select(c => c.Offset == Offset.Unset
            ? new TopicPartitionOffset(c.TopicPartition, _offsetReset == AutoOffsetReset.Latest ? Offset.End : Offset.Beginning)
            : c).ToList();
        _followers!.IncrementalAssign(start);
    }

    private void Resume(StreamTask task)
    {
        // Always, not only for partitions this thread paused: a pause can outlive a revocation in the client, and
        // a partition that came back paused would never deliver again.
        foreach (var partition in task.InputPartitions)
        {
            _paused.Remove(partition);
            var consumer = string.Equals(partition.Topic, _topology.DrivingTopic, StringComparison.Ordinal) ? _main : _followers!;
            consumer.Resume([partition]);
        }
    }

    private void CloseTask(int partition, bool clean)
    {
        if (!_tasks.Remove(partition, out var task))
        {
            return;
        }

        if (task.State == TaskState.Restoring)
        {
            _restorer.Abandon(task);
        }

        if (clean && task.State == TaskState.Running)
        {
            task.TransitionTo(TaskState.Suspended);
            WriteSnapshot(task);
        }

        task.Close(clean);
        foreach (var input in task.InputPartitions)
        {
            _paused.Remove(input);
            _metrics.ForgetLag($"{input.Topic}[{input.Partition.Value}]");
        }

        if (_followers is not null)
        {
            var followers = task.InputPartitions.Where(p => !string.Equals(p.Topic, _topology.DrivingTopic, StringComparison.Ordinal)).ToList();
            _followers.IncrementalUnassign(followers);
        }

        if (_locks.Remove(partition, out var held))
        {
            held.Dispose();
        }
    }

    private void CloseAll(bool clean)
    {
        foreach (var partition in _tasks.Keys.ToList())
        {
            CloseTask(partition, clean);
        }

        PublishStates();
    }

    /// <summary>
    /// After a refused commit or an unacknowledged write: forget everything since the last commit and start the
    /// tasks again from their changelogs and committed offsets (Kafka Streams' handling of a corrupted task).
    /// With <paramref name="awaitAssignment"/> (this member is stale) the tasks are not re-created now: their
    /// partitions may be another member's already, and a task re-created here would restore, take an owner epoch
    /// above that owner's and so turn the legitimate owner's later changelog writes into ignored "stale" ones while
    /// its offset commits succeed (records lost). They come back with the next assignment callback instead.
    /// </summary>
    private void ReviveAll(string reason, bool awaitAssignment = false)
    {
        _metrics.TasksCorrupted(reason);
        CloseAll(clean: false);

        // A broker refusing writes usually refuses the next ones too: back off (bounded) before restoring again.
        _reviveBackoff = _reviveBackoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromTicks(Math.Min(_reviveBackoff.Ticks * 2, MaxReviveBackoff.Ticks));
        _stopping.WaitHandle.WaitOne(_reviveBackoff);
        _collector.ResetError();
        if (_transactionOpen)
        {
            _producer.AbortTransaction(_options.FlushTimeout);
            _transactionOpen = false;
            BeginTransaction();
        }

        _awaitingAssignment |= awaitAssignment;
        var assigned = _main.Assignment;
        if (assigned.Count == 0)
        {
            return;
        }

        RewindToCommitted(_main.Committed(assigned, MetadataTimeout));
        if (!_awaitingAssignment)
        {
            OnAssigned(assigned);
        }
    }

    /// <summary>Pauses the partitions at their committed positions: processed again from there once their tasks run.</summary>
    private void RewindToCommitted(List<TopicPartitionOffset> committed)
    {
        foreach (var position in committed)
        {
            var offset = position.Offset == Offset.Unset
                ? (_offsetReset == AutoOffsetReset.Latest ? Offset.End : Offset.Beginning)
                : position.Offset;
            _main.Pause([position.TopicPartition]);
            _main.Seek(new TopicPartitionOffset(position.TopicPartition, offset));
            _paused.Add(position.TopicPartition);
        }
    }

    private void ShutDown()
    {
        // The stop was requested; the last commit must still run to the end (bounded by the flush timeout).
        _stopping = CancellationToken.None;
        try
        {
            Commit();
        }
        catch (Exception e) when (e is Errors.TaskMigratedException or Errors.DeliveryFailedException or KafkaException)
        {
            ProcessingLog.TasksCorrupted(_logger, e);
            CloseAll(clean: false);
        }

        CloseAll(clean: true);
        if (_transactionOpen)
        {
            _producer.AbortTransaction(_options.FlushTimeout);
            _transactionOpen = false;
        }

        _main.Close();
        ProcessingLog.Stopped(_logger);
    }
}
