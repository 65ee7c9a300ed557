namespace Streaming.Processing.Errors;

/// <summary>
/// The group moved this instance's tasks elsewhere (its commit was refused: stale generation, unknown member), so
/// it is a zombie for them: its tasks are closed without committing and it rejoins. Writes it made after the
/// takeover carry an older epoch and lose to the new owner's, on restore and downstream.
/// </summary>
public sealed class TaskMigratedException : Exception
{
    public TaskMigratedException()
    {
    }

    public TaskMigratedException(string message)
        : base(message)
    {
    }

    public TaskMigratedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
