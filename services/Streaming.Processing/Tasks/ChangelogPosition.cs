using Confluent.Kafka;
using Streaming.Processing.State;

namespace Streaming.Processing.Tasks;

/// <summary>
/// One store of a task and where its changelog partition stands: the next offset to read on restore, and the highest
/// owner epoch seen in it (records of a lower epoch after that are a zombie's and are ignored).
/// </summary>
internal sealed class ChangelogPosition(ILoggedStore store, TopicPartition changelog)
{
    public ILoggedStore Store { get; } = store;

    public TopicPartition Changelog { get; } = changelog;

    public long NextOffset { get; set; }

    public long MaxEpochSeen { get; set; }

    /// <summary>The end of the changelog when the current restore phase started; the restore is done when <see cref="NextOffset"/> reaches it.</summary>
    public long RestoreEnd { get; set; }

    public bool Restored => NextOffset >= RestoreEnd;
}
