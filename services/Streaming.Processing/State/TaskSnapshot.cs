using Streaming.Processing.Tasks;

namespace Streaming.Processing.State;

/// <summary>A task's local snapshot: every store of the task, taken together at one commit, and the owner epoch that wrote it.</summary>
public sealed record TaskSnapshot(TaskId Task, long OwnerEpoch, IReadOnlyList<StoreSnapshot> Stores);
