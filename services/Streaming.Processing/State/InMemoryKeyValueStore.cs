namespace Streaming.Processing.State;

/// <summary>The innermost store: a dictionary. Knows nothing of changelogs (see <see cref="ChangeLoggingKeyValueStore{TKey,TValue}"/>).</summary>
internal sealed class InMemoryKeyValueStore<TKey, TValue>(string name, IEqualityComparer<TKey>? comparer = null) : IKeyValueStore<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _entries = new(comparer);

    public string Name { get; } = name;

    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value) => _entries.TryGetValue(key, out value!);

    public void Put(TKey key, TValue value) => _entries[key] = value;

    public bool Delete(TKey key) => _entries.Remove(key);

    public IEnumerable<KeyValuePair<TKey, TValue>> All() => _entries;

    public void Clear() => _entries.Clear();
}
