using Streaming.Processing.Tasks;

namespace Streaming.Processing.State;

/// <summary>
/// An exclusive OS lock on a task's state directory (its <c>.lock</c> file opened with <see cref="FileShare.None"/>),
/// from <see cref="StateDirectory.LockTask"/>. The OS releases it when the process dies, so a crashed instance never
/// leaves a task locked. Dispose to release it.
/// </summary>
public sealed class TaskDirectoryLock : IDisposable
{
    private readonly Action<TaskDirectoryLock> _onRelease;
    private FileStream? _lockFile;

    internal TaskDirectoryLock(TaskId task, string directory, FileStream lockFile, Action<TaskDirectoryLock> onRelease)
    {
        Task = task;
        Directory = directory;
        _lockFile = lockFile;
        _onRelease = onRelease;
    }

    public TaskId Task { get; }

    /// <summary>The locked task directory.</summary>
    public string Directory { get; }

    /// <summary>False once disposed.</summary>
    public bool IsHeld => Volatile.Read(ref _lockFile) is not null;

    public void Dispose()
    {
        var lockFile = Interlocked.Exchange(ref _lockFile, null);
        if (lockFile is not null)
        {
            lockFile.Dispose();
            _onRelease(this);
        }
    }
}
