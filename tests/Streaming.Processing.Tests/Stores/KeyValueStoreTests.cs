using System.Text;
using Streaming.Processing.State;

namespace Streaming.Processing.Tests.Stores;

public sealed class KeyValueStoreTests
{
    [Fact]
    public void FlushChanges_ManyWritesToFewKeys_WritesOneRecordPerChangedKey()
    {
        var store = NewStore();
        for (var i = 0; i < 1_000; i++)
        {
            store.Put("K" + (i % 3), i);
        }

        var changelog = new RecordingChangelog();
        Assert.Equal(3, store.FlushChanges(changelog, partition: 4));

        Assert.Equal(3, changelog.Records.Count);
        Assert.All(changelog.Records, r => Assert.Equal(("app-s-changelog", 4), (r.Topic, r.Partition)));
        Assert.Equal(999, StateSerdes.BigEndianLong.Deserialize(changelog.Records.Single(r => Encoding.UTF8.GetString(r.Key) == "K0").Value));
        Assert.Equal(0, store.DirtyCount);
        Assert.Equal(0, store.FlushChanges(new RecordingChangelog(), 4));
    }

    [Fact]
    public void FlushChanges_DeletedKey_WritesATombstone()
    {
        var store = NewStore();
        store.Put("K", 1);
        store.FlushChanges(new RecordingChangelog(), 0);
        Assert.True(store.Delete("K"));
        Assert.False(store.Delete("K"));

        var changelog = new RecordingChangelog();
        store.FlushChanges(changelog, 0);

        var record = Assert.Single(changelog.Records);
        Assert.Null(record.Value);
    }

    [Fact]
    public void Restore_ChangelogRecords_RebuildTheStoreWithoutMarkingItDirty()
    {
        var source = NewStore();
        var random = new Random(7);
        var changelog = new RecordingChangelog();
        for (var round = 0; round < 20; round++)
        {
            for (var i = 0; i < 50; i++)
            {
                var key = "K" + random.Next(30);
                if (random.Next(5) == 0)
                {
                    source.Delete(key);
                }
                else
                {
                    source.Put(key, random.NextInt64());
                }
            }

            source.FlushChanges(changelog, 0);
        }

        var restored = NewStore();
        foreach (var record in changelog.Records)
        {
            restored.Restore(record.Key, record.Value);
        }

        Assert.Equal(source.All().OrderBy(e => e.Key, StringComparer.Ordinal), restored.All().OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal(0, restored.DirtyCount);
    }

    private static ChangeLoggingKeyValueStore<string, long> NewStore() =>
        (ChangeLoggingKeyValueStore<string, long>)StoreDefinitionFor().Build();

    private static StoreDefinition StoreDefinitionFor() => StoreDefinition.KeyValue("app", "s", StateSerdes.Utf8, StateSerdes.BigEndianLong);
}
