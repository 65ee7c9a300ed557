namespace Streaming.Processing.Tasks;

/// <summary>A stream task's lifecycle (Kafka Streams' <c>Task.State</c>).</summary>
public enum TaskState
{
    /// <summary>Stores built, snapshot loaded (if any); nothing read yet.</summary>
    Created,

    /// <summary>Reading the changelog tail into the stores; the task's input partitions are paused.</summary>
    Restoring,

    /// <summary>Processing input records.</summary>
    Running,

    /// <summary>Committed and no longer processing (its partitions are being revoked); only closing follows.</summary>
    Suspended,

    /// <summary>Final: clean (committed, snapshot written) or dirty (crash path: nothing committed).</summary>
    Closed,
}

/// <summary>The legal transitions; anything else is a bug and throws.</summary>
public static class TaskStateTransitions
{
    public static bool IsValid(TaskState from, TaskState to) => (from, to) switch
    {
        (TaskState.Created, TaskState.Restoring) => true,
        (TaskState.Restoring, TaskState.Running) => true,
        (TaskState.Running, TaskState.Suspended) => true,
        (TaskState.Restoring, TaskState.Suspended) => true,
        (TaskState.Created, TaskState.Closed) => true,
        (TaskState.Restoring, TaskState.Closed) => true,
        (TaskState.Running, TaskState.Closed) => true,
        (TaskState.Suspended, TaskState.Closed) => true,
        _ => false,
    };
}
