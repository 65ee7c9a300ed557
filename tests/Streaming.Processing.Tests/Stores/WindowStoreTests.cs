using Streaming.Processing.State;

namespace Streaming.Processing.Tests.Stores;

public sealed class WindowStoreTests
{
    private const long Window = 900_000;

    [Fact]
    public void Fetch_WindowsOfOneKey_ComeInStartOrderWithinTheRange()
    {
        var store = NewStore();
        foreach (var start in new[] { 3 * Window, 0, 2 * Window, Window })
        {
            store.Put("BTCUSDT", start, start / Window);
        }

        store.Put("ETHUSDT", Window, 99);

        Assert.Equal([Window, 2 * Window], store.Fetch("BTCUSDT", Window, 2 * Window).Select(w => w.Key));
        Assert.Equal([1L, 2L], store.Fetch("BTCUSDT", Window, 2 * Window).Select(w => w.Value));
        Assert.Empty(store.Fetch("XRPUSDT", 0, long.MaxValue));
    }

    [Fact]
    public void DropBefore_OldWindows_AreRemovedWithTombstones()
    {
        var store = NewStore();
        for (var w = 0; w < 5; w++)
        {
            store.Put("A", w * Window, w);
            store.Put("B", w * Window, w);
        }

        store.FlushChanges(new RecordingChangelog(), 0);

        Assert.Equal(6, store.DropBefore(3 * Window));

        var changelog = new RecordingChangelog();
        store.FlushChanges(changelog, 0);
        Assert.Equal(6, changelog.Records.Count);
        Assert.All(changelog.Records, r => Assert.Null(r.Value));
        Assert.Equal([3 * Window, 4 * Window], store.Fetch("A", 0, long.MaxValue).Select(w => w.Key));
        Assert.Equal(4, store.Count);
    }

    [Fact]
    public void Restore_FromChangelog_RebuildsValuesAndTheStartIndex()
    {
        var source = NewStore();
        var changelog = new RecordingChangelog();
        for (var w = 0; w < 6; w++)
        {
            source.Put("A", w * Window, w);
            source.FlushChanges(changelog, 0);
        }

        source.DropBefore(2 * Window);
        source.FlushChanges(changelog, 0);

        var restored = NewStore();
        foreach (var record in changelog.Records)
        {
            restored.Restore(record.Key, record.Value);
        }

        Assert.Equal(source.Fetch("A", 0, long.MaxValue), restored.Fetch("A", 0, long.MaxValue));
        Assert.Equal(2, restored.DropBefore(4 * Window));
    }

    private static InMemoryWindowStore<string, long> NewStore() =>
        (InMemoryWindowStore<string, long>)StoreDefinition.Window("app", "w", StateSerdes.Utf8, StateSerdes.BigEndianLong).Build();
}
