using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streaming.Processing.Errors;
using Streaming.Processing.Tasks;

namespace Streaming.Processing.Runtime;

/// <summary>
/// Rebuilds restoring tasks' stores from their changelog partitions (Kafka Streams' <c>StoreChangelogReader</c>),
/// in batches between polls of the group consumer, through its own consumer that belongs to no group. A record of a
/// lower owner epoch than one already read is a zombie's late write and is ignored (a claim, a marker without an epoch,
/// stands for the epoch its offset gives: <see cref="ProcessingHeaders.ClaimEpoch"/>); records before the restore
/// started (a snapshot's position) are never needed again.
/// </summary>
internal sealed class ChangelogRestorer(IConsumer<byte[]?, byte[]?> consumer, ProcessingOptions options, ProcessingMetrics metrics, ILogger logger) : IDisposable
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(30);
    private readonly Dictionary<TopicPartition, (StreamTask Task, ChangelogPosition Position)> _active = [];

    public bool Idle => _active.Count == 0;

    /// <summary>Starts (or continues, for the catch-up after the owner marker) reading the task's changelogs up to their current end.</summary>
    public void Begin(StreamTask task)
    {
        var assign = new List<TopicPartitionOffset>();
        foreach (var position in task.Changelogs)
        {
            var (low, high) = Watermarks(position.Changelog);
            if (position.NextOffset < low)
            {
                Truncated(task, position, low);
                position.NextOffset = low;
            }

            if (position.NextOffset > high)
            {
                // The snapshot says more was written than the topic holds: the topic was recreated or lost data.
                Truncated(task, position, high);
                position.Store.Clear();
                position.NextOffset = low;
            }

            position.RestoreEnd = high;
            metrics.SetRestoreRemaining($"{task.Id}/{position.Store.Name}", high - position.NextOffset);
            if (!position.Restored)
            {
                _active[position.Changelog] = (task, position);
                assign.Add(new TopicPartitionOffset(position.Changelog, position.NextOffset));
            }
        }

        if (assign.Count > 0)
        {
            consumer.IncrementalAssign(assign);
        }
    }

    /// <summary>Applies up to <see cref="ProcessingOptions.RestoreBatchRecords"/> changelog records; returns the tasks whose changelogs are all read.</summary>
    public List<StreamTask> Step(CancellationToken cancellationToken)
    {
        var finished = new List<StreamTask>();
        var applied = 0;
        while (applied < options.RestoreBatchRecords && _active.Count > 0)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(10));
            cancellationToken.ThrowIfCancellationRequested();
            if (result is null)
            {
                CheckEnds(finished);
                break;
            }

            if (!_active.TryGetValue(result.TopicPartition, out var entry))
            {
                continue;
            }

            Apply(entry.Position, result);
            applied++;
            entry.Position.NextOffset = result.Offset.Value + 1;
            if (entry.Position.Restored)
            {
                Done(entry.Task, entry.Position, finished);
            }
        }

        return finished;
    }

    /// <summary>Stops restoring a task (revoked or closed mid-restore).</summary>
    public void Abandon(StreamTask task)
    {
        var remove = new List<TopicPartition>();
        foreach (var position in task.Changelogs)
        {
            if (_active.Remove(position.Changelog))
            {
                remove.Add(position.Changelog);
            }
        }

        if (remove.Count > 0)
        {
            consumer.IncrementalUnassign(remove);
        }
    }

    public (long Low, long High) Watermarks(TopicPartition partition)
    {
        var offsets = consumer.QueryWatermarkOffsets(partition, MetadataTimeout);
        return (offsets.Low.Value, offsets.High.Value);
    }

    public void Dispose() => consumer.Dispose();

    private void Apply(ChangelogPosition position, ConsumeResult<byte[]?, byte[]?> result)
    {
        var headers = result.Message.Headers;
        var isMarker = headers?.TryGetLastBytes(ProcessingHeaders.Marker, out _) == true;
        var epoch = ProcessingHeaders.ReadInt64(headers, ProcessingHeaders.Epoch)
            ?? (isMarker ? ProcessingHeaders.ClaimEpoch(result.Offset.Value) : 0);
        if (epoch < position.MaxEpochSeen)
        {
            metrics.StaleWritesRejected(1);
            ProcessingLog.StaleChangelogRecord(logger, result.Topic, result.Partition.Value, result.Offset.Value, epoch, position.MaxEpochSeen);
            return;
        }

        position.MaxEpochSeen = epoch;
        if (isMarker)
        {
            return;
        }

        position.Store.Restore(result.Message.Key ?? [], result.Message.Value);
        metrics.Restored(position.Store.Name, 1);
    }

    private void CheckEnds(List<StreamTask> finished)
    {
        // Offsets at the end may be missing (compaction, transaction markers): the consumer's position tells.
        foreach (var (partition, entry) in _active.ToList())
        {
            var position = consumer.Position(partition);
            if (position.Value >= entry.Position.RestoreEnd)
            {
                entry.Position.NextOffset = Math.Max(entry.Position.NextOffset, entry.Position.RestoreEnd);
                Done(entry.Task, entry.Position, finished);
            }
        }
    }

    private void Done(StreamTask task, ChangelogPosition position, List<StreamTask> finished)
    {
        _active.Remove(position.Changelog);
        consumer.IncrementalUnassign([position.Changelog]);
        metrics.SetRestoreRemaining($"{task.Id}/{position.Store.Name}", 0);
        if (task.Changelogs.TrueForAll(static p => p.Restored) && !finished.Contains(task))
        {
            finished.Add(task);
        }
    }

    private void Truncated(StreamTask task, ChangelogPosition position, long available)
    {
        metrics.RestoreTruncated(position.Store.Name);
        var message = $"Task {task.Id} needs {position.Changelog.Topic}[{position.Changelog.Partition.Value}] from offset {position.NextOffset}, but the broker holds only from {available}: state would be incomplete";
        if (options.OnChangelogTruncated == ChangelogTruncationPolicy.Fail)
        {
            throw new ChangelogTruncatedException(message + " (Processing:OnChangelogTruncated is Fail).");
        }

        ProcessingLog.ChangelogTruncated(logger, message);
    }
}
