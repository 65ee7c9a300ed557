using TakerVolume.Benchmarks.Kafka;
using TakerVolume.Benchmarks.Pipelines;

namespace TakerVolume.Benchmarks.Throughput;

/// <summary>One drain of the throughput input by one pipeline, and what it left in Kafka.</summary>
/// <param name="Kind">Which pipeline.</param>
/// <param name="Round">1, 2, …; 0 for the warm-up; the host run takes the last round's number.</param>
/// <param name="Drain">The window: rate, CPU, allocations, commits.</param>
/// <param name="Outputs">Records in each output topic at the end.</param>
/// <param name="Changelogs">What each store's changelog received (taker volume only).</param>
/// <param name="Check">The results compared with the oracle: null when exact, else the first differences.</param>
/// <param name="Stop">The clean stop after the window (last commit, snapshots, leaving the group).</param>
internal sealed record ThroughputRun(
    PipelineKind Kind, int Round, DrainMeasurement Drain, IReadOnlyDictionary<string, long> Outputs, IReadOnlyList<StoreCensus> Changelogs, IReadOnlyList<string>? Check, TimeSpan Stop)
{
    public Measurement Result => Drain.Result;

    public long OutputRecords => Outputs.Values.Sum();

    public long ChangelogRecords => Changelogs.Sum(c => c.Records);

    public long ChangelogBytes => Changelogs.Sum(c => c.Bytes);
}
