using System.ComponentModel.DataAnnotations;

namespace Streaming.Processing;

/// <summary>How a stream-processing instance runs (configuration section <c>Processing</c>).</summary>
public sealed class ProcessingOptions
{
    public const string SectionName = "Processing";

    /// <summary>This instance's name in logs, client ids and dead letters, e.g. the pod name.</summary>
    [Required]
    public string InstanceId { get; set; } = Environment.MachineName;

    /// <summary>Root of the local state directories (one folder per application and task, holding snapshots).</summary>
    [Required]
    public string StateDirectory { get; set; } = "state";

    /// <summary>
    /// How often state changes, outputs and offsets are made durable. Outputs are visible to consumers as soon as
    /// they are produced; this bounds how much is processed again after a crash, and the changelog volume (one
    /// record per changed key per commit).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often each task writes its local snapshot (also at every clean close); restores then replay only the changelog after it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for new records before punctuations and commits are checked.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Records processed between two checks of commit and punctuation deadlines.</summary>
    [Range(1, 1_000_000)]
    public int MaxPollRecords { get; set; } = 2_000;

    /// <summary>Changelog records applied per step of a restore, between polls of the group consumer.</summary>
    [Range(1, 10_000_000)]
    public int RestoreBatchRecords { get; set; } = 50_000;

    /// <summary>How long a commit waits for Kafka to acknowledge outputs and changelog records before it fails.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan FlushTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Upper bound of a graceful stop (last commit, snapshots, leaving the group).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Where records that fail to deserialize or validate go, wrapped with their origin and the error.</summary>
    [Required]
    public string DeadLetterTopic { get; set; } = "binance.all.events.dead-letter.v1";

    /// <summary>What to do when a restore needs changelog records the broker no longer holds.</summary>
    public ChangelogTruncationPolicy OnChangelogTruncated { get; set; } = ChangelogTruncationPolicy.Fail;

    /// <summary>
    /// <see cref="ProcessingGuarantee.ExactlyOnceV2"/> additionally wraps every commit in a Kafka transaction
    /// (outputs, changelog writes and offsets atomic, the broker fencing zombies). Only for real Kafka clusters:
    /// the embedded broker does not implement transactions faithfully. Results are exactly-once either way.
    /// </summary>
    public ProcessingGuarantee Guarantee { get; set; } = ProcessingGuarantee.IdempotentAtLeastOnce;
}

public enum ChangelogTruncationPolicy
{
    /// <summary>Stop the instance with a critical log naming the changelog partition and the missing offsets.</summary>
    Fail,

    /// <summary>Restore what is left, count it in <c>streaming.processing.restore.truncated</c> and log an error.</summary>
    RestoreAndReport,
}

public enum ProcessingGuarantee
{
    /// <summary>At-least-once delivery with idempotent state transitions and deterministic, revisioned outputs: exactly-once results on any broker.</summary>
    IdempotentAtLeastOnce,

    /// <summary>The above inside Kafka transactions (KIP-447), for brokers that implement them.</summary>
    ExactlyOnceV2,
}
