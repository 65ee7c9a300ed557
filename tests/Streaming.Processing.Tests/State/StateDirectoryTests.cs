using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Processing.State;
using Streaming.Processing.Tasks;
using static Streaming.Processing.Tests.State.Snapshots;

namespace Streaming.Processing.Tests.State;

public sealed class StateDirectoryTests : IDisposable
{
    private const string App = "taker-volume-spot";
    private static readonly TaskId Task3 = new(3);

    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private StateDirectory NewDirectory(string application = App, ILogger<StateDirectory>? logger = null) =>
        new(_root.Path, application, logger ?? NullLogger<StateDirectory>.Instance);

    private string SnapshotPath(TaskId task) => Path.Combine(_root.Path, App, task.ToString(), "snapshot.bin");

    private string TempPath(TaskId task) => Path.Combine(_root.Path, App, task.ToString(), "snapshot.bin.tmp");

    [Fact]
    public void Save_ThenLoad_RoundTripsIntoTheTaskFolder()
    {
        var directory = NewDirectory();
        var snapshot = Small();

        directory.Save(snapshot);
        var load = directory.Load(Task3);

        Assert.Equal(SnapshotLoadOutcome.Loaded, load.Outcome);
        AssertEqual(snapshot, load.Snapshot);
        Assert.Equal(Path.Combine(_root.Path, App, "0_3"), directory.TaskDirectory(Task3));
        Assert.True(File.Exists(SnapshotPath(Task3)));
        Assert.False(File.Exists(TempPath(Task3)));
    }

    [Fact]
    public void Save_EmptyStoresEmptyValuesAndLargeEntries_RoundTrip()
    {
        var directory = NewDirectory();
        var large = new byte[2 * 1024 * 1024];
        new Random(7).NextBytes(large);
        var snapshot = new TaskSnapshot(Task3, 1,
        [
            new StoreSnapshot("empty", "c-empty", 3, 0, 0, []),
            new StoreSnapshot("values", "c-values", 3, 5, 1, [new(Bytes("empty"), []), new([], Bytes("empty key")), new(Bytes("large"), large)]),
        ]);

        directory.Save(snapshot);

        AssertEqual(snapshot, NewDirectory().Load(Task3).Snapshot);
    }

    [Fact]
    public void Save_Repeatedly_LoadReturnsTheLatest()
    {
        var directory = NewDirectory();
        for (var epoch = 1; epoch <= 20; epoch++)
        {
            directory.Save(Small(ownerEpoch: epoch));
        }

        Assert.Equal(20, directory.Load(Task3).Snapshot?.OwnerEpoch);
    }

    [Fact]
    public void Load_NoApplicationFolder_IsMissing()
    {
        var load = NewDirectory().Load(Task3);

        Assert.Equal(SnapshotLoadOutcome.Missing, load.Outcome);
        Assert.Null(load.Snapshot);
        Assert.Equal("no snapshot file", load.Reason);
    }

    [Fact]
    public void Load_TaskFolderWithoutSnapshot_IsMissing()
    {
        var directory = NewDirectory();
        using (directory.LockTask(Task3))
        {
            Assert.Equal(SnapshotLoadOutcome.Missing, directory.Load(Task3).Outcome);
        }
    }

    [Fact]
    public void Wipe_SavedSnapshot_LoadIsMissing()
    {
        var directory = NewDirectory();
        directory.Save(Small());
        File.WriteAllBytes(TempPath(Task3), [1, 2, 3]);

        directory.Wipe(Task3);

        Assert.Equal(SnapshotLoadOutcome.Missing, directory.Load(Task3).Outcome);
        Assert.False(File.Exists(TempPath(Task3)));
        Assert.True(Directory.Exists(directory.TaskDirectory(Task3)));
    }

    [Fact]
    public void Wipe_NothingThere_DoesNotThrow()
    {
        NewDirectory().Wipe(new TaskId(9));
    }

    [Fact]
    public void Load_EverySingleBitFlip_IsCorrupt()
    {
        var directory = NewDirectory();
        directory.Save(Small());
        var original = File.ReadAllBytes(SnapshotPath(Task3));
        var kinds = new HashSet<string>();

        for (var position = 0; position < original.Length; position++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var flipped = (byte[])original.Clone();
                flipped[position] ^= (byte)(1 << bit);
                File.WriteAllBytes(SnapshotPath(Task3), flipped);

                var load = directory.Load(Task3);

                Assert.True(load.Outcome == SnapshotLoadOutcome.Corrupt, $"bit {bit} of byte {position}: {load.Outcome}");
                Assert.Null(load.Snapshot);
                kinds.Add(KindOf(load.Reason));
            }
        }

        // Magic, version, length field (longer, shorter, nonsense) and everything the checksum covers.
        Assert.Equal(["bad magic", "checksum mismatch", "invalid length", "trailing", "truncated", "unknown format version"], kinds.Order(StringComparer.Ordinal));

        static string KindOf(string reason) =>
            reason.Contains("unexpected bytes after the declared length", StringComparison.Ordinal) ? "trailing"
            : reason.StartsWith("truncated: the header says", StringComparison.Ordinal) ? "truncated"
            : reason.StartsWith("bad magic", StringComparison.Ordinal) ? "bad magic"
            : reason.StartsWith("unknown format version", StringComparison.Ordinal) ? "unknown format version"
            : reason.StartsWith("invalid length", StringComparison.Ordinal) ? "invalid length"
            : reason;
    }

    [Fact]
    public void Load_EveryTruncation_IsCorruptTruncated()
    {
        var directory = NewDirectory();
        directory.Save(Small());
        var original = File.ReadAllBytes(SnapshotPath(Task3));

        for (var length = 0; length < original.Length; length++)
        {
            File.WriteAllBytes(SnapshotPath(Task3), original[..length]);

            var load = directory.Load(Task3);

            Assert.True(load.Outcome == SnapshotLoadOutcome.Corrupt, $"truncated to {length} bytes: {load.Outcome}");
            Assert.StartsWith("truncated", load.Reason, StringComparison.Ordinal);
        }

        File.WriteAllBytes(SnapshotPath(Task3), original);
        Assert.Equal(SnapshotLoadOutcome.Loaded, directory.Load(Task3).Outcome);
    }

    [Fact]
    public void Load_SnapshotOfAnotherTask_IsCorrupt()
    {
        var directory = NewDirectory();
        directory.Save(Small(partition: 4));
        Directory.CreateDirectory(directory.TaskDirectory(Task3));
        File.Copy(SnapshotPath(new TaskId(4)), SnapshotPath(Task3));

        var load = directory.Load(Task3);

        Assert.Equal(SnapshotLoadOutcome.Corrupt, load.Outcome);
        Assert.Equal("snapshot for task 0_4 found in 0_3", load.Reason);
    }

    [Fact]
    public void Load_UnknownFormatVersion_IsCorrupt()
    {
        var directory = NewDirectory();
        directory.Save(Small());
        var bytes = File.ReadAllBytes(SnapshotPath(Task3));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(SnapshotCodec.VersionOffset), 9);
        File.WriteAllBytes(SnapshotPath(Task3), Rehash(bytes));

        var load = directory.Load(Task3);

        Assert.Equal(SnapshotLoadOutcome.Corrupt, load.Outcome);
        Assert.Equal("unknown format version 9", load.Reason);
    }

    [Fact]
    public void Load_UnreadableSnapshot_IsCorruptWithTheReason()
    {
        var directory = NewDirectory();
        Directory.CreateDirectory(SnapshotPath(Task3)); // a folder where the file should be

        var load = directory.Load(Task3);

        Assert.Equal(SnapshotLoadOutcome.Corrupt, load.Outcome);
        Assert.StartsWith("unreadable: ", load.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Corrupt_LogsAWarningWithItsEventId()
    {
        var logger = new CapturingLogger<StateDirectory>();
        var directory = NewDirectory(logger: logger);
        Directory.CreateDirectory(directory.TaskDirectory(Task3));
        File.WriteAllBytes(SnapshotPath(Task3), "SPSN"u8.ToArray());

        directory.Load(Task3);

        var (level, id, message) = Assert.Single(logger.Events);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal(new EventId(1292, "SnapshotCorrupt"), id);
        Assert.Contains("truncated", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HalfWrittenTempFileAfterACrash_ReturnsThePreviousSnapshot()
    {
        var directory = NewDirectory();
        var previous = Small(ownerEpoch: 1);
        directory.Save(previous);
        // A kill -9 in the middle of the next Save: half the new file written, not yet renamed.
        var next = SnapshotCodec.Encode(Small(ownerEpoch: 2));
        File.WriteAllBytes(TempPath(Task3), next[..(next.Length / 2)]);

        var afterCrash = NewDirectory();
        var load = afterCrash.Load(Task3);

        Assert.Equal(SnapshotLoadOutcome.Loaded, load.Outcome);
        AssertEqual(previous, load.Snapshot);
        Assert.Equal([Task3], afterCrash.ListTasks());
    }

    [Fact]
    public void LockTask_LeftoverTempFile_IsDeletedAndSavingWorks()
    {
        var directory = NewDirectory();
        directory.Save(Small(ownerEpoch: 1));
        File.WriteAllBytes(TempPath(Task3), [0x53, 0x50]);

        using (directory.LockTask(Task3))
        {
            Assert.False(File.Exists(TempPath(Task3)));
            directory.Save(Small(ownerEpoch: 2));
        }

        Assert.Equal(2, directory.Load(Task3).Snapshot?.OwnerEpoch);
    }

    [Fact]
    public void Save_LeftoverLongerTempFile_IsOverwrittenNotAppended()
    {
        var directory = NewDirectory();
        Directory.CreateDirectory(directory.TaskDirectory(Task3));
        File.WriteAllBytes(TempPath(Task3), new byte[100_000]);

        directory.Save(Small());

        Assert.Equal(SnapshotCodec.Encode(Small()), File.ReadAllBytes(SnapshotPath(Task3)));
        Assert.False(File.Exists(TempPath(Task3)));
    }

    [Fact]
    public void Save_InvalidSnapshot_ThrowsAndKeepsThePreviousSnapshot()
    {
        var directory = NewDirectory();
        directory.Save(Small(ownerEpoch: 1));
        var invalid = new TaskSnapshot(Task3, 2, [new StoreSnapshot("s", "t", 3, -1, 0, [])]);

        Assert.Throws<ArgumentException>(() => directory.Save(invalid));

        Assert.Equal(1, directory.Load(Task3).Snapshot?.OwnerEpoch);
        Assert.False(File.Exists(TempPath(Task3)));
    }

    [Fact]
    public void LockTask_SecondStateDirectoryOnTheSameRoot_ThrowsLockedNamingTheDirectory()
    {
        var first = NewDirectory();
        var second = NewDirectory();
        using var held = first.LockTask(Task3);

        var exception = Assert.Throws<StateDirectoryLockedException>(() => second.LockTask(Task3));

        Assert.Equal(first.TaskDirectory(Task3), exception.Directory);
        Assert.Contains(first.TaskDirectory(Task3), exception.Message, StringComparison.Ordinal);
        Assert.True(held.IsHeld);
    }

    [Fact]
    public void LockTask_SameStateDirectoryTwice_ThrowsLocked()
    {
        var directory = NewDirectory();
        using var held = directory.LockTask(Task3);

        Assert.Throws<StateDirectoryLockedException>(() => directory.LockTask(Task3));
    }

    [Fact]
    public void LockTask_AfterDispose_CanBeTakenAgain()
    {
        var first = NewDirectory();
        var second = NewDirectory();
        var held = first.LockTask(Task3);

        held.Dispose();
        held.Dispose();

        Assert.False(held.IsHeld);
        using var again = second.LockTask(Task3);
        Assert.Equal(Task3, again.Task);
        Assert.Equal(second.TaskDirectory(Task3), again.Directory);
    }

    [Fact]
    public void LockTask_OtherTaskOrOtherApplication_DoesNotContend()
    {
        using var held = NewDirectory().LockTask(Task3);

        using var otherTask = NewDirectory().LockTask(new TaskId(4));
        using var otherApplication = NewDirectory("depth-merger").LockTask(Task3);

        Assert.True(otherTask.IsHeld && otherApplication.IsHeld);
    }

    [Fact]
    public void ListTasks_ForeignFoldersAndFiles_AreIgnored()
    {
        var directory = NewDirectory();
        var app = Path.Combine(_root.Path, App);
        foreach (var name in new[] { "0_10", "0_2", "0_1", "lost+found", "0_03", "1_2", "0_x", "0_", "0_-1", ".tmp" })
        {
            Directory.CreateDirectory(Path.Combine(app, name));
        }

        File.WriteAllBytes(Path.Combine(app, "0_5"), []);

        Assert.Equal([new TaskId(1), new TaskId(2), new TaskId(10)], directory.ListTasks());
    }

    [Fact]
    public void ListTasks_NoApplicationFolder_IsEmpty()
    {
        Assert.Empty(NewDirectory().ListTasks());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    public void Constructor_ApplicationIdNotAFolderName_Throws(string applicationId)
    {
        Assert.ThrowsAny<ArgumentException>(() => NewDirectory(applicationId));
    }
}
