namespace Streaming.Processing.State;

/// <summary>
/// Wraps the in-memory store: remembers which keys changed since the last commit and writes each one once to the
/// changelog when the task commits (Kafka Streams' caching and change-logging layers in one, since the inner
/// store is a dictionary already). The changelog therefore grows with distinct keys per commit, not with records.
/// </summary>
internal sealed class ChangeLoggingKeyValueStore<TKey, TValue>(
    InMemoryKeyValueStore<TKey, TValue> inner,
    string changelogTopic,
    IStateSerde<TKey> keySerde,
    IStateSerde<TValue> valueSerde) : IKeyValueStore<TKey, TValue>, ILoggedStore
    where TKey : notnull
{
    private readonly HashSet<TKey> _dirty = new();

    public string Name => inner.Name;

    public string ChangelogTopic { get; } = changelogTopic;

    public int Count => inner.Count;

    public int DirtyCount => _dirty.Count;

    public bool TryGet(TKey key, out TValue value) => inner.TryGet(key, out value);

    public void Put(TKey key, TValue value)
    {
        inner.Put(key, value);
        _dirty.Add(key);
    }

    public bool Delete(TKey key)
    {
        var removed = inner.Delete(key);
        if (removed)
        {
            _dirty.Add(key);
        }

        return removed;
    }

    public IEnumerable<KeyValuePair<TKey, TValue>> All() => inner.All();

    public int FlushChanges(IChangelogWriter writer, int partition)
    {
        var written = 0;
        foreach (var key in _dirty)
        {
            var value = inner.TryGet(key, out var current) ? valueSerde.Serialize(current) : null;
            writer.Write(ChangelogTopic, partition, keySerde.Serialize(key), value);
            written++;
        }

        _dirty.Clear();
        return written;
    }

    public void Restore(ReadOnlySpan<byte> key, byte[]? value)
    {
        var typedKey = keySerde.Deserialize(key);
        if (value is null)
        {
            inner.Delete(typedKey);
        }
        else
        {
            inner.Put(typedKey, valueSerde.Deserialize(value));
        }
    }

    public IReadOnlyList<KeyValuePair<byte[], byte[]>> SerializeAll()
    {
        var entries = new List<KeyValuePair<byte[], byte[]>>(inner.Count);
        foreach (var (key, value) in inner.All())
        {
            entries.Add(new(keySerde.Serialize(key), valueSerde.Serialize(value)));
        }

        return entries;
    }

    public void Clear()
    {
        inner.Clear();
        _dirty.Clear();
    }
}
