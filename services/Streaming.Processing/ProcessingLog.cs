using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streaming.Processing.Tasks;

namespace Streaming.Processing;

/// <summary>Every log event of the runtime. Event ids are stable: 1xx lifecycle, 2xx tasks, 3xx state, 4xx commits, 5xx records.</summary>
internal static partial class ProcessingLog
{
    [LoggerMessage(EventId = 100, EventName = "StreamThreadStarted", Level = LogLevel.Information,
        Message = "Stream thread of {ApplicationId} started as {InstanceId}, reading {DrivingTopic} (and {OtherSources} co-partitioned sources), guarantee {Guarantee}")]
    public static partial void Started(ILogger logger, string applicationId, string instanceId, string drivingTopic, int otherSources, ProcessingGuarantee guarantee);

    [LoggerMessage(EventId = 101, EventName = "StreamThreadStopped", Level = LogLevel.Information,
        Message = "Stream thread stopped cleanly: last commit done, snapshots written, group left")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 102, EventName = "StreamThreadFailed", Level = LogLevel.Critical,
        Message = "Stream thread failed; its tasks were closed without committing (they restore from their changelogs on the next owner)")]
    public static partial void Failed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 200, EventName = "TaskTransition", Level = LogLevel.Information,
        Message = "Task {TaskId}: {From} -> {To}")]
    public static partial void TaskTransition(ILogger logger, TaskId taskId, TaskState from, TaskState to);

    [LoggerMessage(EventId = 201, EventName = "TaskClosed", Level = LogLevel.Information,
        Message = "Task {TaskId} closed (clean: {Clean})")]
    public static partial void TaskClosed(ILogger logger, TaskId taskId, bool clean);

    [LoggerMessage(EventId = 202, EventName = "PartitionsAssigned", Level = LogLevel.Information,
        Message = "Assigned: [{Partitions}]")]
    public static partial void PartitionsAssigned(ILogger logger, IReadOnlyList<TopicPartition> partitions);

    [LoggerMessage(EventId = 203, EventName = "PartitionsRevoked", Level = LogLevel.Information,
        Message = "Revoked: [{Partitions}]")]
    public static partial void PartitionsRevoked(ILogger logger, IReadOnlyList<TopicPartition> partitions);

    [LoggerMessage(EventId = 204, EventName = "PartitionsLost", Level = LogLevel.Warning,
        Message = "Lost (another instance owns them now): [{Partitions}]; closing their tasks without committing")]
    public static partial void PartitionsLost(ILogger logger, IReadOnlyList<TopicPartition> partitions);

    [LoggerMessage(EventId = 205, EventName = "TaskMigrated", Level = LogLevel.Warning,
        Message = "The group refused this instance's commit; its tasks moved elsewhere and are closed without committing")]
    public static partial void TaskMigrated(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 206, EventName = "TasksCorrupted", Level = LogLevel.Error,
        Message = "Outputs or changelog records were not acknowledged; every task is closed without committing and restored")]
    public static partial void TasksCorrupted(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 207, EventName = "TaskSuperseded", Level = LogLevel.Warning,
        Message = "Task {TaskId}: another instance claimed it (a record of theirs in {Changelog} after this owner's marker); closed without committing, claimed again only if the group confirms this instance's membership")]
    public static partial void TaskSuperseded(ILogger logger, Tasks.TaskId taskId, string changelog);

    [LoggerMessage(EventId = 208, EventName = "ReclaimDeferred", Level = LogLevel.Warning,
        Message = "The committed positions of out-claimed tasks could not be read; claiming them again is retried")]
    public static partial void ReclaimDeferred(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 300, EventName = "RestoreStarted", Level = LogLevel.Information,
        Message = "Task {TaskId} restoring: snapshot {SnapshotOutcome} ({SnapshotReason})")]
    public static partial void RestoreStarted(ILogger logger, TaskId taskId, string snapshotOutcome, string snapshotReason);

    [LoggerMessage(EventId = 301, EventName = "RestoreFinished", Level = LogLevel.Information,
        Message = "Task {TaskId} restored in {Seconds:0.000} s; owner epoch {Epoch}")]
    public static partial void RestoreFinished(ILogger logger, TaskId taskId, double seconds, long epoch);

    [LoggerMessage(EventId = 302, EventName = "StaleChangelogRecord", Level = LogLevel.Warning,
        Message = "Ignored {Topic}[{Partition}]@{Offset}: epoch {Epoch} is older than {MaxEpoch} (a zombie's write after a takeover)")]
    public static partial void StaleChangelogRecord(ILogger logger, string topic, int partition, long offset, long epoch, long maxEpoch);

    [LoggerMessage(EventId = 303, EventName = "ChangelogTruncated", Level = LogLevel.Error,
        Message = "{Message}; restoring what is left (Processing:OnChangelogTruncated is RestoreAndReport)")]
    public static partial void ChangelogTruncated(ILogger logger, string message);

    [LoggerMessage(EventId = 304, EventName = "SnapshotFailed", Level = LogLevel.Warning,
        Message = "Snapshot of task {TaskId} not written; the next restore replays more of the changelog")]
    public static partial void SnapshotFailed(ILogger logger, TaskId taskId, Exception exception);

    [LoggerMessage(EventId = 500, EventName = "DeadLettered", Level = LogLevel.Warning,
        Message = "Record {Topic}[{Partition}]@{Offset} sent to the dead-letter topic: {Reason}")]
    public static partial void DeadLettered(ILogger logger, string topic, int partition, long offset, string reason);
}
