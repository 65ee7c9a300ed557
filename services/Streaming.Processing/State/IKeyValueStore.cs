namespace Streaming.Processing.State;

/// <summary>
/// A task's key-value store (Kafka Streams' <c>KeyValueStore</c>): in memory, backed by a changelog partition.
/// Writes are coalesced per key until the task commits, so the changelog receives at most one record per
/// changed key per commit.
/// </summary>
public interface IKeyValueStore<TKey, TValue>
    where TKey : notnull
{
    string Name { get; }

    int Count { get; }

    bool TryGet(TKey key, out TValue value);

    void Put(TKey key, TValue value);

    /// <summary>Removes the key; the changelog gets a tombstone, so compaction forgets it too.</summary>
    bool Delete(TKey key);

    /// <summary>Every entry, in no particular order. Do not modify the store while enumerating.</summary>
    IEnumerable<KeyValuePair<TKey, TValue>> All();
}
