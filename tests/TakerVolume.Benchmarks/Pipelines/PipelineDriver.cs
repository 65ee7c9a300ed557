using System.Diagnostics;
using TakerVolume.Benchmarks.Kafka;

namespace TakerVolume.Benchmarks.Pipelines;

/// <summary>What one drain of the input measured (the window, thread CPU, commits), before anything is read back.</summary>
/// <param name="Result">Input records over the window from the first output seen to the group's commit of the input's end.</param>
/// <param name="ThreadCpu">CPU nanoseconds per thread group over the window.</param>
/// <param name="StartUp">From start to the first output seen (client creation, group join, restore).</param>
/// <param name="Commits">Commits completed in the window and the time the processing thread spent in them.</param>
/// <param name="Allocations">Sampled allocated bytes by type over the window, when sampled.</param>
internal sealed record DrainMeasurement(
    Measurement Result, IReadOnlyDictionary<string, long> ThreadCpu, TimeSpan StartUp, (TimeSpan Time, long Count) Commits, IReadOnlyDictionary<string, long>? Allocations);

/// <summary>
/// Starts a pipeline and measures it as tests/Streaming.Processing.Benchmarks does: from the first record seen in its
/// first output topic (polled every 10 ms) to the moment its group has committed the end of every input partition
/// (polled every 25 ms), when every input record was processed and its outputs and changelog records acknowledged.
/// </summary>
internal static class PipelineDriver
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static async Task<DrainMeasurement> DrainAsync(
        BenchKafka kafka, ProcessingMeter meter, PipelineRun run, long[] inputEnds, CancellationToken cancellationToken, AllocationSampler? allocations = null)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(inputEnds);
        var pipeline = run.Pipeline;
        using var probe = kafka.Probe(pipeline.GroupId, run.Input, inputEnds, run.FirstOutput);
        probe.Drained();
        var outputsBefore = probe.Outputs();
        meter.Reset();
        var beforeStart = ThreadUsage.Snapshot();
        var began = Stopwatch.GetTimestamp();
        await pipeline.StartAsync(cancellationToken).ConfigureAwait(false);
        while (probe.Outputs() == outputsBefore)
        {
            await WaitAsync(pipeline, began, 10, cancellationToken).ConfigureAwait(false);
        }

        var startThreads = ThreadUsage.Snapshot();
        var start = GcControl.PreciseSnapshot();
        var startUp = Stopwatch.GetElapsedTime(began);
        var commitsBefore = pipeline.Commits;
        allocations?.Start();
        while (!probe.Drained())
        {
            await WaitAsync(pipeline, began, 25, cancellationToken).ConfigureAwait(false);
        }

        var end = GcControl.PreciseSnapshot();
        var endThreads = ThreadUsage.Snapshot();
        var sampled = allocations?.Stop();
        var commitsAfter = pipeline.Commits;
        var processing = pipeline.ProcessingThread;
        var started = ThreadUsage.Started(beforeStart, endThreads);
        var groups = ThreadUsage.Between(startThreads, endThreads, (tid, name) => KafkaThreadGroups.Group(tid, name, processing, started, kafka.MockThreads));
        var result = new Measurement(inputEnds.Sum(), 0, start, end)
        {
            ThreadCpu = TimeSpan.FromTicks(groups.GetValueOrDefault(KafkaThreadGroups.Processing) / 100),
        };
        return new DrainMeasurement(result, groups, startUp, (commitsAfter.Time - commitsBefore.Time, commitsAfter.Count - commitsBefore.Count), sampled);
    }

    /// <summary>Waits <paramref name="milliseconds"/>, failing if the pipeline stopped or the run takes too long.</summary>
    public static async Task WaitAsync(IPipeline pipeline, long began, int milliseconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        if (pipeline.Completion.IsCompleted)
        {
            if (pipeline.Completion.Exception?.InnerException is { } failure)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }

            throw new InvalidOperationException("The pipeline stopped before the end of the run.");
        }

        if (Stopwatch.GetElapsedTime(began) > Timeout)
        {
            throw new TimeoutException($"The run did not finish within {Timeout.TotalMinutes} minutes.");
        }

        await Task.Delay(milliseconds, cancellationToken).ConfigureAwait(false);
    }
}
