using TakerVolume.Benchmarks.Kafka;
using TakerVolume.Benchmarks.Input;
using TakerVolume.Benchmarks.Pipelines;

namespace TakerVolume.Benchmarks;

/// <summary>What every mode of one run shares: the broker, the pipelines' factory and meter, the recorded trade shapes, the options.</summary>
internal sealed record BenchContext(BenchKafka Kafka, PipelineFactory Factory, ProcessingMeter Meter, RecordedTrades Recording, BenchmarkOptions Options, CancellationToken Cancellation)
{
    /// <summary>The allocation sampler of <c>--allocations</c>, or null.</summary>
    public AllocationSampler? Allocations { get; init; }

    /// <summary>2026-01-05 00:00 UTC: exchange time of the first generated trade of the throughput input (a fixed input, run after run).</summary>
    public const long InputStartUs = 1_767_571_200_000_000;

    /// <summary>Progress goes to standard error; standard output carries the tables.</summary>
    public static void Progress(string line) => Console.Error.WriteLine(line);
}
