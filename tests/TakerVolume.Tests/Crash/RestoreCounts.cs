using System.Globalization;
using System.Text.RegularExpressions;

namespace TakerVolume.Tests.Crash;

/// <summary>
/// How the processes' tasks came back, read from their JSON logs (the runtime's RestoreStarted and RestoreFinished
/// events): from a local snapshot plus the changelog after it, from the changelogs alone (no snapshot, and an owner
/// epoch above 1, so earlier owners had written them), or fresh (the very first owner of a task).
/// </summary>
internal sealed partial class RestoreCounts
{
    public int FromSnapshot { get; private set; }

    public int FromChangelogOnly { get; private set; }

    /// <summary>Of <see cref="FromChangelogOnly"/>, those by a process started on a wiped state directory.</summary>
    public int FromChangelogAfterWipe { get; private set; }

    public int Fresh { get; private set; }

    public int HighestEpoch { get; private set; }

    /// <summary>Instances that ran at least one task.</summary>
    public int InstancesWithTasks { get; private set; }

    /// <summary>Occurrences of the runtime's warning and error events (TaskMigrated, TasksCorrupted, ...).</summary>
    public Dictionary<string, int> Events { get; } = new(StringComparer.Ordinal);

    public static RestoreCounts Of(IEnumerable<ArchivedRun> runs)
    {
        var counts = new RestoreCounts();
        var instances = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            var outcomes = new Dictionary<int, string>();
            foreach (Match match in Restore().Matches(run.Log))
            {
                var task = int.Parse(match.Groups["task"].Value, CultureInfo.InvariantCulture);
                if (match.Groups["outcome"].Success)
                {
                    outcomes[task] = match.Groups["outcome"].Value;
                    continue;
                }

                instances.Add(run.Slot);
                var epoch = int.Parse(match.Groups["epoch"].Value, CultureInfo.InvariantCulture);
                counts.HighestEpoch = Math.Max(counts.HighestEpoch, epoch);
                var outcome = outcomes.GetValueOrDefault(task, "unknown");
                if (outcome == "Loaded")
                {
                    counts.FromSnapshot++;
                }
                else if (epoch > 1)
                {
                    counts.FromChangelogOnly++;
                    counts.FromChangelogAfterWipe += run.Wiped ? 1 : 0;
                }
                else
                {
                    counts.Fresh++;
                }
            }

            foreach (Match match in Event().Matches(run.Log))
            {
                counts.Events[match.Groups[1].Value] = counts.Events.GetValueOrDefault(match.Groups[1].Value) + 1;
            }
        }

        counts.InstancesWithTasks = instances.Count;
        return counts;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{FromSnapshot} from a snapshot + changelog tail, {FromChangelogOnly} from the changelogs alone ({FromChangelogAfterWipe} after a wipe), {Fresh} fresh; highest owner epoch {HighestEpoch}; {InstancesWithTasks} instances ran tasks; events: {string.Join(", ", Events.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value}"))}");

    [GeneratedRegex("\"message\":\"Task 0_(?<task>\\d+) (?:restoring: snapshot (?<outcome>\\w+)|restored in [^;\"]*; owner epoch (?<epoch>\\d+))")]
    private static partial Regex Restore();

    [GeneratedRegex("\"eventName\":\"(TaskMigrated|TasksCorrupted|StaleChangelogRecord|PartitionsLost|StreamThreadFailed|ChangelogTruncated|SnapshotFailed|DeadLettered)\"")]
    private static partial Regex Event();
}
