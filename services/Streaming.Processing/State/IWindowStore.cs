namespace Streaming.Processing.State;

/// <summary>
/// A task's window store (Kafka Streams' <c>WindowStore</c>): values per (key, window start), in memory, backed by a
/// changelog partition, with the windows of one key readable in start order. Windows older than the retention are
/// dropped with tombstones, so the changelog forgets them too.
/// </summary>
public interface IWindowStore<TKey, TValue>
    where TKey : notnull
{
    string Name { get; }

    int Count { get; }

    bool TryGet(TKey key, long windowStart, out TValue value);

    void Put(TKey key, long windowStart, TValue value);

    bool Delete(TKey key, long windowStart);

    /// <summary>The key's windows with <paramref name="fromStart"/> ≤ start ≤ <paramref name="toStart"/>, in start order.</summary>
    IEnumerable<KeyValuePair<long, TValue>> Fetch(TKey key, long fromStart, long toStart);

    /// <summary>Every (key, start, value), in no particular order.</summary>
    IEnumerable<(TKey Key, long WindowStart, TValue Value)> All();

    /// <summary>Removes every window that starts before <paramref name="windowStart"/>; returns how many.</summary>
    int DropBefore(long windowStart);
}
