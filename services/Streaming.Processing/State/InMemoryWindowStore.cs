namespace Streaming.Processing.State;

/// <summary>
/// A window store over the change-logging key-value store, plus an index of each key's window starts (sorted), kept
/// in step on writes and on restore, so <see cref="Fetch"/> and <see cref="DropBefore"/> need no scan of all keys.
/// </summary>
internal sealed class InMemoryWindowStore<TKey, TValue> : IWindowStore<TKey, TValue>, ILoggedStore
    where TKey : notnull
{
    private readonly ChangeLoggingKeyValueStore<WindowKey<TKey>, TValue> _entries;
    private readonly Dictionary<TKey, SortedSet<long>> _starts = [];
    private readonly SortedDictionary<long, HashSet<TKey>> _byStart = [];
    private readonly WindowKeySerde<TKey> _keySerde;

    public InMemoryWindowStore(string name, string changelogTopic, IStateSerde<TKey> keySerde, IStateSerde<TValue> valueSerde)
    {
        _keySerde = new WindowKeySerde<TKey>(keySerde);
        _entries = new(new InMemoryKeyValueStore<WindowKey<TKey>, TValue>(name), changelogTopic, _keySerde, valueSerde);
    }

    public string Name => _entries.Name;

    public string ChangelogTopic => _entries.ChangelogTopic;

    public int Count => _entries.Count;

    public int DirtyCount => _entries.DirtyCount;

    public bool TryGet(TKey key, long windowStart, out TValue value) => _entries.TryGet(new(key, windowStart), out value);

    public void Put(TKey key, long windowStart, TValue value)
    {
        _entries.Put(new(key, windowStart), value);
        Index(key, windowStart);
    }

    public bool Delete(TKey key, long windowStart)
    {
        if (!_entries.Delete(new(key, windowStart)))
        {
            return false;
        }

        Unindex(key, windowStart);
        return true;
    }

    public IEnumerable<KeyValuePair<long, TValue>> Fetch(TKey key, long fromStart, long toStart)
    {
        if (!_starts.TryGetValue(key, out var starts) || fromStart > toStart)
        {
            yield break;
        }

        foreach (var start in starts.GetViewBetween(fromStart, toStart))
        {
            if (_entries.TryGet(new(key, start), out var value))
            {
                yield return new(start, value);
            }
        }
    }

    public IEnumerable<(TKey Key, long WindowStart, TValue Value)> All()
    {
        foreach (var (windowKey, value) in _entries.All())
        {
            yield return (windowKey.Key, windowKey.Start, value);
        }
    }

    public int DropBefore(long windowStart)
    {
        var expired = new List<(TKey Key, long Start)>();
        foreach (var (start, keys) in _byStart)
        {
            if (start >= windowStart)
            {
                break;
            }

            foreach (var key in keys)
            {
                expired.Add((key, start));
            }
        }

        foreach (var (key, start) in expired)
        {
            Delete(key, start);
        }

        return expired.Count;
    }

    public int FlushChanges(IChangelogWriter writer, int partition) => _entries.FlushChanges(writer, partition);

    public void Restore(ReadOnlySpan<byte> key, byte[]? value)
    {
        var windowKey = _keySerde.Deserialize(key);
        _entries.Restore(key, value);
        if (value is null)
        {
            Unindex(windowKey.Key, windowKey.Start);
        }
        else
        {
            Index(windowKey.Key, windowKey.Start);
        }
    }

    public IReadOnlyList<KeyValuePair<byte[], byte[]>> SerializeAll() => _entries.SerializeAll();

    public void Clear()
    {
        _entries.Clear();
        _starts.Clear();
        _byStart.Clear();
    }

    private void Index(TKey key, long start)
    {
        if (!_starts.TryGetValue(key, out var starts))
        {
            _starts[key] = starts = [];
        }

        starts.Add(start);
        if (!_byStart.TryGetValue(start, out var keys))
        {
            _byStart[start] = keys = [];
        }

        keys.Add(key);
    }

    private void Unindex(TKey key, long start)
    {
        if (_starts.TryGetValue(key, out var starts) && starts.Remove(start) && starts.Count == 0)
        {
            _starts.Remove(key);
        }

        if (_byStart.TryGetValue(start, out var keys) && keys.Remove(key) && keys.Count == 0)
        {
            _byStart.Remove(start);
        }
    }
}
