namespace TakerVolumeView;

/// <summary>
/// The newest entries by key, newest first, at most a capacity: the major ones first, then the minor ones, each
/// kept up to the capacity so a burst of minor entries never pushes a major one off.
/// </summary>
internal sealed class RecentList<T>(int capacity)
{
    private readonly List<(string Key, T Item)> _major = [];
    private readonly List<(string Key, T Item)> _minor = [];

    public IReadOnlyList<T> Items => [.. _major.Concat(_minor).Take(capacity).Select(entry => entry.Item)];

    public void Add(string key, T item, bool minor)
    {
        var list = minor ? _minor : _major;
        list.Insert(0, (key, item));
        if (list.Count > capacity)
        {
            list.RemoveAt(list.Count - 1);
        }
    }

    public void Remove(string key)
    {
        _major.RemoveAll(entry => entry.Key == key);
        _minor.RemoveAll(entry => entry.Key == key);
    }
}
