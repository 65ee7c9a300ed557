using Streaming.Processing.State;

namespace TakerVolume.Benchmarks.Micro;

/// <summary>
/// A dictionary behind the runtime's key-value store interface, for driving the processor's state classes without
/// the runtime: its own stores (with change logging) are internal to Streaming.Processing, and their costs are
/// measured by tests/Streaming.Processing.Benchmarks (StoreBenchmarks).
/// </summary>
internal sealed class DictionaryKeyValueStore<TKey, TValue>(string name) : IKeyValueStore<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _entries = [];

    public string Name => name;

    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value) => _entries.TryGetValue(key, out value!);

    public void Put(TKey key, TValue value) => _entries[key] = value;

    public bool Delete(TKey key) => _entries.Remove(key);

    public IEnumerable<KeyValuePair<TKey, TValue>> All() => _entries;
}

/// <summary>Values per key and window start, sorted per key, behind the runtime's window store interface (see <see cref="DictionaryKeyValueStore{TKey, TValue}"/>).</summary>
internal sealed class SortedWindowStore<TKey, TValue>(string name) : IWindowStore<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, SortedDictionary<long, TValue>> _windows = [];

    public string Name => name;

    public int Count => _windows.Values.Sum(w => w.Count);

    public bool TryGet(TKey key, long windowStart, out TValue value)
    {
        if (_windows.TryGetValue(key, out var windows) && windows.TryGetValue(windowStart, out var found))
        {
            value = found;
            return true;
        }

        value = default!;
        return false;
    }

    public void Put(TKey key, long windowStart, TValue value)
    {
        if (!_windows.TryGetValue(key, out var windows))
        {
            _windows[key] = windows = [];
        }

        windows[windowStart] = value;
    }

    public bool Delete(TKey key, long windowStart) => _windows.TryGetValue(key, out var windows) && windows.Remove(windowStart);

    public IEnumerable<KeyValuePair<long, TValue>> Fetch(TKey key, long fromStart, long toStart)
    {
        if (!_windows.TryGetValue(key, out var windows))
        {
            yield break;
        }

        foreach (var entry in windows)
        {
            if (entry.Key > toStart)
            {
                yield break;
            }

            if (entry.Key >= fromStart)
            {
                yield return entry;
            }
        }
    }

    public IEnumerable<(TKey Key, long WindowStart, TValue Value)> All()
    {
        foreach (var (key, windows) in _windows)
        {
            foreach (var (start, value) in windows)
            {
                yield return (key, start, value);
            }
        }
    }

    public int DropBefore(long windowStart)
    {
        var dropped = 0;
        foreach (var windows in _windows.Values)
        {
            while (windows.Count > 0 && windows.First().Key < windowStart)
            {
                windows.Remove(windows.First().Key);
                dropped++;
            }
        }

        return dropped;
    }
}
