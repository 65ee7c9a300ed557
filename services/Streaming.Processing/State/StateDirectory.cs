using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Streaming.Processing.Tasks;

namespace Streaming.Processing.State;

/// <summary>
/// The local state directory of one application on this host: <c>{root}/{applicationId}/{task}/</c> (e.g.
/// <c>/var/lib/streaming/taker-volume-spot/0_3/</c>), each task folder holding
/// <list type="bullet">
/// <item><c>snapshot.bin</c>: the task's stores and the changelog positions they reflect (<see cref="SnapshotCodec"/>), so a
/// restart loads it and replays only the changelogs' tail;</item>
/// <item><c>.lock</c>: held open with <see cref="FileShare.None"/> by the instance that owns the task
/// (<see cref="LockTask"/>), so two instances on one host never use the same task folder;</item>
/// <item><c>snapshot.bin.tmp</c>, only while <see cref="Save"/> writes (or after a crash during it).</item>
/// </list>
/// A snapshot is only ever an optimization: the changelogs are the truth. <see cref="Load"/> reports a missing or
/// unusable snapshot precisely and never throws for a file's contents; the caller then restores from the changelogs.
/// </summary>
/// <remarks>
/// Methods are thread-safe; one task's Save, Load and Wipe are meant to be called by its owner, which holds its lock.
/// <see cref="Save"/> replaces the snapshot atomically (temp file, fsync, rename): a kill at any point leaves the old
/// snapshot or the new one, never a torn one. The folder itself is not fsynced after the rename (.NET cannot open a
/// directory for that), so after a power loss the previous snapshot may come back, which is still correct: its
/// changelog positions are older, so the restore just replays more.
/// The lock is an OS file lock (flock on Unix), released by the OS when the process dies; setting
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> turns it off.
/// </remarks>
public sealed partial class StateDirectory
{
    internal const string SnapshotFileName = "snapshot.bin";
    internal const string TempFileName = "snapshot.bin.tmp";
    internal const string LockFileName = ".lock";

    private readonly ILogger<StateDirectory> _logger;
    private readonly ConcurrentDictionary<TaskId, TaskPaths> _paths = new();

    public StateDirectory(string rootPath, string applicationId, ILogger<StateDirectory> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(applicationId);
        ArgumentNullException.ThrowIfNull(logger);
        if (applicationId is "." or ".."
            || applicationId.AsSpan().IndexOfAny(Path.GetInvalidFileNameChars()) >= 0
            || applicationId.Contains('\\', StringComparison.Ordinal)
            || applicationId.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Application id '{applicationId}' is not a valid folder name", nameof(applicationId));
        }

        RootPath = Path.GetFullPath(rootPath);
        ApplicationId = applicationId;
        ApplicationDirectory = Path.Combine(RootPath, applicationId);
        _logger = logger;
    }

    public string RootPath { get; }

    public string ApplicationId { get; }

    /// <summary><c>{root}/{applicationId}</c>: the parent of the task folders.</summary>
    public string ApplicationDirectory { get; }

    /// <summary>The folder of <paramref name="task"/>'s state, e.g. <c>{root}/{applicationId}/0_3</c> (it may not exist).</summary>
    public string TaskDirectory(TaskId task) => PathsOf(task).Directory;

    /// <summary>
    /// Takes the exclusive lock on <paramref name="task"/>'s folder (creating it), then deletes a temp file an
    /// interrupted <see cref="Save"/> left behind. Hold it while the task is owned; dispose it to release it.
    /// </summary>
    /// <exception cref="StateDirectoryLockedException">Another instance on this host, or another owner in this process, holds the lock.</exception>
    public TaskDirectoryLock LockTask(TaskId task)
    {
        var paths = PathsOf(task);
        Directory.CreateDirectory(paths.Directory);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(paths.Lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException exception) when (IsLockContention(exception))
        {
            throw new StateDirectoryLockedException(
                paths.Directory,
                $"The state directory {paths.Directory} of task {task} is locked: another instance on this host (or another owner in this process) holds {paths.Lock}",
                exception);
        }

        Log.TaskLocked(_logger, task, paths.Directory);
        try
        {
            if (File.Exists(paths.Temp))
            {
                File.Delete(paths.Temp);
                Log.StaleTempFileDeleted(_logger, task, paths.Temp);
            }
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }

        return new TaskDirectoryLock(task, paths.Directory, lockFile, held => Log.TaskUnlocked(_logger, held.Task, held.Directory));
    }

    /// <summary>
    /// Reads <paramref name="task"/>'s snapshot. Never throws for a file's contents (or for I/O errors reading it):
    /// <see cref="SnapshotLoadOutcome.Missing"/> if there is none, <see cref="SnapshotLoadOutcome.Corrupt"/> with the
    /// reason if it cannot be used (checksum mismatch, truncated, unknown format version, another task's snapshot,
    /// unreadable). A leftover temp file of an interrupted save is ignored.
    /// </summary>
    public SnapshotLoad Load(TaskId task)
    {
        var paths = PathsOf(task);
        var result = Read(task, paths.Snapshot, out var size);
        switch (result.Outcome)
        {
            case SnapshotLoadOutcome.Loaded:
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    var snapshot = result.Snapshot!;
                    var entries = CountEntries(snapshot);
                    Log.SnapshotLoaded(_logger, task, paths.Snapshot, snapshot.Stores.Count, entries, size, snapshot.OwnerEpoch);
                }

                break;
            case SnapshotLoadOutcome.Missing:
                Log.SnapshotMissing(_logger, task, paths.Directory, result.Reason);
                break;
            default:
                Log.SnapshotCorrupt(_logger, task, paths.Snapshot, result.Reason);
                break;
        }

        return result;
    }

    /// <summary>
    /// Replaces the snapshot of <paramref name="snapshot"/>'s task, atomically and durably: written to a temp file in
    /// the same folder through one pooled buffer, flushed to disk, then renamed over the previous snapshot.
    /// </summary>
    /// <exception cref="ArgumentException">The snapshot cannot be encoded (null keys, negative offsets, duplicate stores, …).</exception>
    /// <exception cref="IOException">Writing failed; the previous snapshot is intact.</exception>
    public void Save(TaskSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var length = SnapshotCodec.GetEncodedLength(snapshot);
        var paths = PathsOf(snapshot.Task);
        Directory.CreateDirectory(paths.Directory);
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0, // the codec buffers
                PreallocationSize = length,
            };
            using (var stream = new FileStream(paths.Temp, options))
            {
                SnapshotCodec.Encode(snapshot, stream, length);
                stream.Flush(flushToDisk: true);
            }

            File.Move(paths.Temp, paths.Snapshot, overwrite: true);
        }
        catch
        {
            TryDelete(paths.Temp);
            throw;
        }

        Log.SnapshotSaved(_logger, snapshot.Task, snapshot.Stores.Count, length, snapshot.OwnerEpoch);
    }

    /// <summary>
    /// Deletes <paramref name="task"/>'s snapshot (and a leftover temp file), e.g. when it is unusable or its changelog
    /// positions are gone from the changelog. The folder and its lock stay.
    /// </summary>
    public void Wipe(TaskId task)
    {
        var paths = PathsOf(task);
        try
        {
            File.Delete(paths.Snapshot);
            File.Delete(paths.Temp);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing to wipe.
        }

        Log.SnapshotWiped(_logger, task, paths.Directory);
    }

    /// <summary>The tasks with a folder here, in order; other folders (e.g. <c>lost+found</c>, <c>0_03</c>) are ignored.</summary>
    public IReadOnlyList<TaskId> ListTasks()
    {
        var tasks = new List<TaskId>();
        try
        {
            foreach (var directory in Directory.EnumerateDirectories(ApplicationDirectory))
            {
                var name = Path.GetFileName(directory);
                if (TaskId.TryParse(name) is { } task && string.Equals(task.ToString(), name, StringComparison.Ordinal))
                {
                    tasks.Add(task);
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }

        tasks.Sort();
        return tasks;
    }

    private TaskPaths PathsOf(TaskId task) =>
        _paths.GetOrAdd(task, static (task, parent) => new TaskPaths(Path.Combine(parent, task.ToString())), ApplicationDirectory);

    private static SnapshotLoad Read(TaskId task, string path, out long size)
    {
        size = 0;
        byte[]? buffer = null;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            size = RandomAccess.GetLength(handle);
            if (size > Array.MaxLength)
            {
                return SnapshotLoad.Corrupt(string.Create(CultureInfo.InvariantCulture, $"{size} bytes, larger than any snapshot"));
            }

            buffer = ArrayPool<byte>.Shared.Rent((int)size);
            var read = 0;
            while (read < size)
            {
                var count = RandomAccess.Read(handle, buffer.AsSpan(read, (int)size - read), read);
                if (count == 0)
                {
                    break; // Shrunk while reading: decoding reports it truncated.
                }

                read += count;
            }

            if (!SnapshotCodec.TryDecode(buffer.AsSpan(0, read), out var snapshot, out var reason))
            {
                return SnapshotLoad.Corrupt(reason);
            }

            return snapshot.Task == task
                ? SnapshotLoad.Loaded(snapshot)
                : SnapshotLoad.Corrupt($"snapshot for task {snapshot.Task} found in {task}");
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return SnapshotLoad.Missing("no snapshot file");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return SnapshotLoad.Corrupt($"unreadable: {exception.Message}");
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static long CountEntries(TaskSnapshot snapshot)
    {
        long entries = 0;
        foreach (var store in snapshot.Stores)
        {
            entries += store.Entries.Count;
        }

        return entries;
    }

    /// <summary>Another open of the lock file holds it: a sharing violation on Windows, EWOULDBLOCK from flock on Unix.</summary>
    private static bool IsLockContention(IOException exception)
    {
        if (exception.GetType() != typeof(IOException))
        {
            return false; // FileNotFound, DirectoryNotFound, PathTooLong, …
        }

        const int ErrorSharingViolation = 0x20, ErrorLockViolation = 0x21;
        const int EWouldBlockLinux = 11, EWouldBlockBsd = 35;
        return OperatingSystem.IsWindows()
            ? (exception.HResult & 0xFFFF) is ErrorSharingViolation or ErrorLockViolation
            : exception.HResult is EWouldBlockLinux or EWouldBlockBsd;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next Save truncates it, the next LockTask deletes it.
        }
    }

    private sealed class TaskPaths(string directory)
    {
        public string Directory { get; } = directory;

        public string Snapshot { get; } = Path.Combine(directory, SnapshotFileName);

        public string Temp { get; } = Path.Combine(directory, TempFileName);

        public string Lock { get; } = Path.Combine(directory, LockFileName);
    }

    /// <summary>Event ids 1290–1299: the local state directory.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 1290, EventName = "SnapshotLoaded", Level = LogLevel.Information,
            Message = "Task {Task}: snapshot {Path} loaded ({Stores} stores, {Entries} entries, {Bytes} bytes, owner epoch {OwnerEpoch})")]
        public static partial void SnapshotLoaded(ILogger logger, TaskId task, string path, int stores, long entries, long bytes, long ownerEpoch);

        [LoggerMessage(EventId = 1291, EventName = "SnapshotMissing", Level = LogLevel.Information,
            Message = "Task {Task}: no snapshot in {Directory} ({Reason}); its stores restore from the changelogs")]
        public static partial void SnapshotMissing(ILogger logger, TaskId task, string directory, string reason);

        [LoggerMessage(EventId = 1292, EventName = "SnapshotCorrupt", Level = LogLevel.Warning,
            Message = "Task {Task}: snapshot {Path} is unusable ({Reason}); its stores restore from the changelogs")]
        public static partial void SnapshotCorrupt(ILogger logger, TaskId task, string path, string reason);

        [LoggerMessage(EventId = 1293, EventName = "SnapshotSaved", Level = LogLevel.Debug,
            Message = "Task {Task}: snapshot saved ({Stores} stores, {Bytes} bytes, owner epoch {OwnerEpoch})")]
        public static partial void SnapshotSaved(ILogger logger, TaskId task, int stores, long bytes, long ownerEpoch);

        [LoggerMessage(EventId = 1294, EventName = "SnapshotWiped", Level = LogLevel.Information,
            Message = "Task {Task}: snapshot in {Directory} wiped")]
        public static partial void SnapshotWiped(ILogger logger, TaskId task, string directory);

        [LoggerMessage(EventId = 1295, EventName = "TaskDirectoryLocked", Level = LogLevel.Debug,
            Message = "Task {Task}: state directory {Directory} locked")]
        public static partial void TaskLocked(ILogger logger, TaskId task, string directory);

        [LoggerMessage(EventId = 1296, EventName = "TaskDirectoryUnlocked", Level = LogLevel.Debug,
            Message = "Task {Task}: state directory {Directory} unlocked")]
        public static partial void TaskUnlocked(ILogger logger, TaskId task, string directory);

        [LoggerMessage(EventId = 1297, EventName = "StaleTempFileDeleted", Level = LogLevel.Information,
            Message = "Task {Task}: deleted {Path}, left by an interrupted save")]
        public static partial void StaleTempFileDeleted(ILogger logger, TaskId task, string path);
    }
}
