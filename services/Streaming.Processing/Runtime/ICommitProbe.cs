namespace Streaming.Processing.Runtime;

/// <summary>The steps of a commit, in order.</summary>
internal enum CommitPhase
{
    /// <summary>Outputs and dead letters acknowledged; nothing of the state written yet.</summary>
    OutputsFlushed,

    /// <summary>Changelog records acknowledged; input offsets not committed yet.</summary>
    ChangelogFlushed,

    /// <summary>Input offsets committed; the snapshot not written yet.</summary>
    OffsetsCommitted,
}

/// <summary>
/// Called at each step of every commit. Crash tests register one that kills the process at a chosen step, to
/// prove a crash between any two steps loses and double-counts nothing. Not for production use.
/// </summary>
internal interface ICommitProbe
{
    void Reached(CommitPhase phase);
}
