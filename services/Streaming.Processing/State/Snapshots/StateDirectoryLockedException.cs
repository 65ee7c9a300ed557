namespace Streaming.Processing.State;

/// <summary>
/// A task's state directory is locked by another <see cref="StateDirectory"/>: another instance on this host (or
/// another owner in this process) still holds the task. Retry once it has released it (after its rebalance).
/// </summary>
public sealed class StateDirectoryLockedException : IOException
{
    public StateDirectoryLockedException()
        : base("A task's state directory is locked by another instance")
    {
    }

    public StateDirectoryLockedException(string message)
        : base(message)
    {
    }

    public StateDirectoryLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StateDirectoryLockedException(string directory, string message, Exception? innerException)
        : base(message, innerException)
    {
        Directory = directory;
    }

    /// <summary>The locked task directory.</summary>
    public string? Directory { get; }
}
