using Streaming.Processing.State;

namespace TakerVolume.Tests.Logic;

/// <summary>
/// A test double of the runtime's window store (internal to Streaming.Processing): values per (key, window start),
/// held by reference like the in-memory store, <see cref="Fetch"/> lazily in start order with inclusive bounds (an
/// edit during the enumeration throws, as it does on the runtime's sorted index). <see cref="Restored"/> is what a
/// restore from the changelog would build: every value through its serde.
/// </summary>
internal sealed class SortedWindowStore<TKey, TValue> : IWindowStore<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, SortedDictionary<long, TValue>> _windows = [];

    public string Name => "test-window-store";

    public int Count => _windows.Values.Sum(windows => windows.Count);

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

    public bool Delete(TKey key, long windowStart)
    {
        if (!_windows.TryGetValue(key, out var windows) || !windows.Remove(windowStart))
        {
            return false;
        }

        if (windows.Count == 0)
        {
            _windows.Remove(key);
        }

        return true;
    }

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
        var expired = All().Where(entry => entry.WindowStart < windowStart).Select(entry => (entry.Key, entry.WindowStart)).ToList();
        foreach (var (key, start) in expired)
        {
            Delete(key, start);
        }

        return expired.Count;
    }

    /// <summary>The keys and window starts held, sorted (for comparing with what should be held).</summary>
    public List<(TKey Key, long WindowStart)> Entries() =>
        [.. All().Select(entry => (entry.Key, entry.WindowStart)).OrderBy(entry => entry.Key.ToString(), StringComparer.Ordinal).ThenBy(entry => entry.WindowStart)];

    /// <summary>A new store holding what this one holds, each value serialized and deserialized (a restore).</summary>
    public SortedWindowStore<TKey, TValue> Restored(IStateSerde<TValue> serde)
    {
        var restored = new SortedWindowStore<TKey, TValue>();
        foreach (var (key, start, value) in All())
        {
            restored.Put(key, start, serde.Deserialize(serde.Serialize(value)));
        }

        return restored;
    }
}

public sealed class SortedWindowStoreTests
{
    [Fact]
    public void Fetch_ReturnsTheKeysWindowsInStartOrderWithInclusiveBounds()
    {
        var store = new SortedWindowStore<string, string>();
        store.Put("a", 3000, "3");
        store.Put("a", 1000, "1");
        store.Put("a", 2000, "2");
        store.Put("b", 2000, "other key");

        Assert.Equal([1000L, 2000L], store.Fetch("a", 1000, 2000).Select(entry => entry.Key));
        Assert.Equal(["1", "2", "3"], store.Fetch("a", long.MinValue, 3000).Select(entry => entry.Value));
        Assert.Empty(store.Fetch("a", 2001, 2999));
        Assert.Empty(store.Fetch("c", long.MinValue, long.MaxValue));
        Assert.Equal(4, store.Count);
        Assert.True(store.Delete("a", 2000));
        Assert.False(store.Delete("a", 2000));
        Assert.Equal(1, store.DropBefore(2000));
        Assert.Equal([("a", 3000L), ("b", 2000L)], store.Entries());
    }
}
