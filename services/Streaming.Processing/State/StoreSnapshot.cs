namespace Streaming.Processing.State;

/// <summary>
/// One store's contents as serialized changelog entries (key bytes → value bytes), and the changelog position they
/// reflect: restoring this snapshot and then reading the changelog from <see cref="NextOffset"/> gives the store's
/// state. <see cref="MaxEpochSeen"/> is the highest owner epoch among the changelog records read so far, which the
/// restore needs to keep rejecting a stale owner's writes after the snapshot.
/// </summary>
public sealed record StoreSnapshot(
    string StoreName,
    string ChangelogTopic,
    int Partition,
    long NextOffset,
    long MaxEpochSeen,
    IReadOnlyList<KeyValuePair<byte[], byte[]>> Entries);
