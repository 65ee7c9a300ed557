using Confluent.Kafka;
using Ingest.Pipeline;

namespace Ingest.GapBackfill;

/// <summary>
/// Which offsets of the gap topic may be committed: per partition, up to the first gap whose backfill has not been
/// served yet, or else past the last record read. Only accepted gaps are held (ignored records need nothing), so the
/// memory is bounded by the requests in the backfill queue. Used on the listener's thread only (rebalance callbacks
/// run inside Consume there); tickets are set by the backfill worker and only read here.
/// </summary>
internal sealed class GapOffsets
{
    private readonly Dictionary<TopicPartition, Progress> _partitions = [];

    /// <summary>Accepted gaps whose request is not served yet, over all partitions.</summary>
    public int Pending => _partitions.Values.Sum(p => p.Waiting.Count);

    /// <summary>Records the record at <paramref name="offset"/> as read; <paramref name="ticket"/> says when it is handled.</summary>
    public void Read(TopicPartition partition, long offset, BackfillTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(ticket);
        if (!_partitions.TryGetValue(partition, out var progress))
        {
            progress = new Progress();
            _partitions.Add(partition, progress);
        }

        progress.Next = Math.Max(progress.Next, offset + 1);
        if (!ticket.IsHandled)
        {
            progress.Waiting.Enqueue((offset, ticket));
        }
    }

    /// <summary>
    /// The positions to commit (the next offset to read after a restart) that moved since the last
    /// <see cref="Committed"/>; only of <paramref name="partitions"/> when given.
    /// </summary>
    public List<TopicPartitionOffset> Committable(IEnumerable<TopicPartition>? partitions = null)
    {
        var positions = new List<TopicPartitionOffset>();
        foreach (var (partition, progress) in partitions is null ? _partitions : Select(partitions))
        {
            while (progress.Waiting.TryPeek(out var head) && head.Ticket.IsHandled)
            {
                progress.Waiting.Dequeue();
            }

            var position = progress.Waiting.TryPeek(out var first) ? first.Offset : progress.Next;
            if (position > progress.Committed)
            {
                positions.Add(new TopicPartitionOffset(partition, position));
            }
        }

        return positions;
    }

    /// <summary>Kafka took these positions.</summary>
    public void Committed(IEnumerable<TopicPartitionOffset> positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        foreach (var position in positions)
        {
            if (_partitions.TryGetValue(position.TopicPartition, out var progress))
            {
                progress.Committed = Math.Max(progress.Committed, position.Offset.Value);
            }
        }
    }

    /// <summary>
    /// The partitions went to another member (or were lost): their next owner reads from the last commit, and their
    /// requests still queued here are fetched once more there, which the raw topic's consumers drop by id.
    /// </summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        foreach (var partition in partitions)
        {
            _partitions.Remove(partition);
        }
    }

    private IEnumerable<KeyValuePair<TopicPartition, Progress>> Select(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            if (_partitions.TryGetValue(partition, out var progress))
            {
                yield return new(partition, progress);
            }
        }
    }

    private sealed class Progress
    {
        public Queue<(long Offset, BackfillTicket Ticket)> Waiting { get; } = new();

        public long Next { get; set; }

        public long Committed { get; set; } = -1;
    }
}
