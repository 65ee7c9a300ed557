namespace Streaming.Processing.State;

/// <summary>What the runtime needs from every store, whatever its types: flush, restore, snapshot.</summary>
internal interface ILoggedStore
{
    string Name { get; }

    string ChangelogTopic { get; }

    int Count { get; }

    /// <summary>Keys changed since the last flush.</summary>
    int DirtyCount { get; }

    /// <summary>Writes one record per changed key (the latest value, or a tombstone) and forgets the changes.</summary>
    int FlushChanges(IChangelogWriter writer, int partition);

    /// <summary>Applies one changelog record during restore; a null value deletes the key.</summary>
    void Restore(ReadOnlySpan<byte> key, byte[]? value);

    /// <summary>Every entry serialized, for a snapshot.</summary>
    IReadOnlyList<KeyValuePair<byte[], byte[]>> SerializeAll();

    void Clear();
}
