using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Streaming.Processing.State;
using Streaming.Processing.Tasks;

namespace Streaming.Processing.Tests.State;

/// <summary>A unique folder under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "state-tests-" + Guid.NewGuid().ToString("N"));

    public TempDirectory() => Directory.CreateDirectory(Path);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

/// <summary>Log events an <see cref="ILogger{T}"/> received.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public List<(LogLevel Level, EventId Id, string Message)> Events { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Events)
        {
            Events.Add((logLevel, eventId, formatter(state, exception)));
        }
    }
}

internal static class Snapshots
{
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static KeyValuePair<byte[], byte[]> Entry(string key, string value) => new(Bytes(key), Bytes(value));

    /// <summary>A small snapshot: one store with two entries, one store with none.</summary>
    public static TaskSnapshot Small(int partition = 3, long ownerEpoch = 7) => new(
        new TaskId(partition),
        ownerEpoch,
        [
            new StoreSnapshot("volume", "app-volume-changelog", partition, 42, 6, [Entry("BTCUSDT", "1.5"), Entry("ETHUSDT", "")]),
            new StoreSnapshot("dedup", "app-dedup-changelog", partition, 0, -1, []),
        ]);

    /// <summary>One store "s" on topic "t" with one entry "k" → "v": the fixed layout <see cref="Offsets"/> describes.</summary>
    public static TaskSnapshot Minimal() =>
        new(new TaskId(3), 1, [new StoreSnapshot("s", "t", 3, 10, 1, [Entry("k", "v")])]);

    /// <summary>Field offsets in <see cref="Minimal"/>'s encoding.</summary>
    public static class Offsets
    {
        public const int StoreCount = 28;
        public const int NameLength = 32;
        public const int Name = 36;
        public const int TopicLength = 37;
        public const int Partition = 42;
        public const int NextOffset = 46;
        public const int EntryCount = 62;
        public const int KeyLength = 66;
        public const int ValueLength = 71;
    }

    /// <summary>Overwrites a little-endian int32 at <paramref name="offset"/> and fixes the checksum, as a faulty encoder would.</summary>
    public static byte[] ForgeInt32(byte[] encoded, int offset, int value)
    {
        var forged = (byte[])encoded.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(forged.AsSpan(offset), value);
        return Rehash(forged);
    }

    public static byte[] Rehash(byte[] forged)
    {
        SHA256.HashData(forged.AsSpan(0, forged.Length - SnapshotCodec.ChecksumSize), forged.AsSpan(forged.Length - SnapshotCodec.ChecksumSize));
        return forged;
    }

    public static void AssertEqual(TaskSnapshot expected, TaskSnapshot? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Task, actual.Task);
        Assert.Equal(expected.OwnerEpoch, actual.OwnerEpoch);
        Assert.Equal(expected.Stores.Count, actual.Stores.Count);
        for (var s = 0; s < expected.Stores.Count; s++)
        {
            var (e, a) = (expected.Stores[s], actual.Stores[s]);
            Assert.Equal(e.StoreName, a.StoreName);
            Assert.Equal(e.ChangelogTopic, a.ChangelogTopic);
            Assert.Equal(e.Partition, a.Partition);
            Assert.Equal(e.NextOffset, a.NextOffset);
            Assert.Equal(e.MaxEpochSeen, a.MaxEpochSeen);
            Assert.Equal(e.Entries.Count, a.Entries.Count);
            for (var i = 0; i < e.Entries.Count; i++)
            {
                Assert.Equal(e.Entries[i].Key, a.Entries[i].Key);
                Assert.Equal(e.Entries[i].Value, a.Entries[i].Value);
            }
        }
    }
}
