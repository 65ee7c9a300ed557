using System.Globalization;

namespace Streaming.Processing.Tasks;

/// <summary>
/// A stream task's identity: the input partition number it owns (every source topic's partition of that number,
/// since sources are co-partitioned). Printed like Kafka Streams' <c>0_3</c> (sub-topology 0, partition 3): one
/// topology here is one sub-topology.
/// </summary>
public readonly record struct TaskId(int Partition) : IComparable<TaskId>
{
    public int CompareTo(TaskId other) => Partition.CompareTo(other.Partition);

    public static bool operator <(TaskId left, TaskId right) => left.CompareTo(right) < 0;

    public static bool operator <=(TaskId left, TaskId right) => left.CompareTo(right) <= 0;

    public static bool operator >(TaskId left, TaskId right) => left.CompareTo(right) > 0;

    public static bool operator >=(TaskId left, TaskId right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"0_{Partition}");

    /// <summary>Parses <c>0_N</c>; null for anything else (e.g. a foreign folder in the state directory).</summary>
    public static TaskId? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.StartsWith("0_", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            ? new TaskId(partition)
            : null;
    }
}
