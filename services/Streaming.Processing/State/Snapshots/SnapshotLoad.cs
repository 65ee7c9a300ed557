namespace Streaming.Processing.State;

/// <summary>What <see cref="StateDirectory.Load"/> found in a task's directory.</summary>
public enum SnapshotLoadOutcome
{
    /// <summary>A valid snapshot of the task: restore it, then replay the changelogs from each store's next offset.</summary>
    Loaded,

    /// <summary>No snapshot (first start on this host, or wiped): restore from the changelogs' beginning.</summary>
    Missing,

    /// <summary>A snapshot that cannot be used (see the reason): wipe it and restore from the changelogs' beginning.</summary>
    Corrupt,
}

/// <summary>The result of <see cref="StateDirectory.Load"/>: the snapshot if <see cref="Outcome"/> is <see cref="SnapshotLoadOutcome.Loaded"/>, and why not otherwise.</summary>
/// <param name="Outcome">Loaded, missing or corrupt.</param>
/// <param name="Snapshot">The snapshot; non-null exactly when <paramref name="Outcome"/> is <see cref="SnapshotLoadOutcome.Loaded"/>.</param>
/// <param name="Reason">For people: e.g. "checksum mismatch", "truncated: …", "unknown format version 9", "snapshot for task 0_4 found in 0_3".</param>
public sealed record SnapshotLoad(SnapshotLoadOutcome Outcome, TaskSnapshot? Snapshot, string Reason)
{
    public static SnapshotLoad Loaded(TaskSnapshot snapshot) =>
        new(SnapshotLoadOutcome.Loaded, snapshot ?? throw new ArgumentNullException(nameof(snapshot)), "loaded");

    public static SnapshotLoad Missing(string reason) => new(SnapshotLoadOutcome.Missing, null, reason);

    public static SnapshotLoad Corrupt(string reason) => new(SnapshotLoadOutcome.Corrupt, null, reason);
}
