using System.Diagnostics;
using Confluent.Kafka;
using Streaming.Kafka;
using Streaming.Processing.Tasks;

namespace Streaming.Processing.Benchmarks;

/// <summary>One throughput run: a pipeline draining the whole input topic.</summary>
/// <param name="Kind">Which pipeline.</param>
/// <param name="Round">1, 2, …; 0 for the warm-up.</param>
/// <param name="Result">Records (the whole input) over the window from the first output seen to the group's commit of the input's end.</param>
/// <param name="Outputs">Records in the output topic at the end of the window.</param>
/// <param name="ChangelogRecords">Records the run wrote to its store's changelog (counting only).</param>
/// <param name="ThreadCpu">CPU nanoseconds per thread group over the window.</param>
/// <param name="StartUp">From <see cref="IPipeline.Start"/> to the first output seen (client creation, group join, restore).</param>
/// <param name="Stop">The clean stop after the window (last commit, snapshots, leaving the group).</param>
internal sealed record RunResult(
    PipelineKind Kind, int Round, Measurement Result, long Outputs, long? ChangelogRecords, IReadOnlyDictionary<string, long> ThreadCpu, TimeSpan StartUp, TimeSpan Stop)
{
    /// <summary>Sampled allocated bytes by type over the window, when sampled (<c>--allocations</c>).</summary>
    public IReadOnlyDictionary<string, long>? Allocations { get; init; }

    /// <summary>Commits completed in the window and the time the processing thread spent in them.</summary>
    public (TimeSpan Time, long Count) Commits { get; init; }
}

/// <summary>One start of a counting instance over an existing changelog, until all its tasks run.</summary>
/// <param name="Source">What the state directory held: its snapshots, or nothing (deleted before the start).</param>
/// <param name="Round">1, 2, ….</param>
/// <param name="Assigned">From the start to the 6 tasks created (group joined, snapshots loaded in the assignment callback).</param>
/// <param name="Running">From the start to all 6 tasks running.</param>
/// <param name="Restores">Each task's <c>streaming.processing.restore.duration</c> (creation to running) and its source tag.</param>
/// <param name="Result">Changelog records applied (<c>streaming.processing.restore.records</c>) over the start → running window.</param>
/// <param name="Stop">The clean stop right after (snapshots written).</param>
internal sealed record RestoreResult(
    string Source, int Round, TimeSpan Assigned, TimeSpan Running, IReadOnlyList<(double Seconds, string Source)> Restores, Measurement Result, TimeSpan Stop);

/// <summary>The measurement loops: progress read from outside the pipeline, the process and its threads at both ends of the window.</summary>
internal static class Runs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Starts <paramref name="pipeline"/> and measures it from the first record seen in <paramref name="output"/> (polled
    /// every 10 ms) to the moment its group has committed the end of every input partition (polled every 25 ms): then
    /// every input record was processed and its outputs acknowledged. Stops it cleanly after.
    /// </summary>
    public static async Task<RunResult> ThroughputAsync(
        BenchCluster cluster, ProcessingMeter meter, PipelineKind kind, int round, IPipeline pipeline, string input, long[] inputEnds, string output, string? changelog,
        AllocationSampler? allocations, CancellationToken cancellationToken)
    {
        using var probe = cluster.Probe(pipeline.GroupId, input, inputEnds, output);
        probe.Drained();
        meter.Reset();
        var beforeStart = ThreadUsage.Snapshot();
        var began = Stopwatch.GetTimestamp();
        pipeline.Start();
        while (probe.Outputs() == 0)
        {
            await WaitAsync(pipeline, began, 10, cancellationToken).ConfigureAwait(false);
        }

        var startThreads = ThreadUsage.Snapshot();
        var start = GcControl.PreciseSnapshot();
        var startUp = Stopwatch.GetElapsedTime(began);
        allocations?.Start();
        var commitsBefore = pipeline.Commits;
        while (!probe.Drained())
        {
            await WaitAsync(pipeline, began, 25, cancellationToken).ConfigureAwait(false);
        }

        var end = GcControl.PreciseSnapshot();
        var endThreads = ThreadUsage.Snapshot();
        var sampled = allocations?.Stop();
        var commitsAfter = pipeline.Commits;
        var outputs = probe.Outputs();
        var changelogRecords = changelog is null ? (long?)null : cluster.EndOffsets(changelog).Sum();
        var stopping = Stopwatch.GetTimestamp();
        await pipeline.StopAsync().ConfigureAwait(false);
        var stop = Stopwatch.GetElapsedTime(stopping);

        var processing = pipeline.ProcessingThread;
        var started = ThreadUsage.Started(beforeStart, endThreads);
        var groups = ThreadUsage.Between(startThreads, endThreads, (tid, name) => KafkaThreadGroups.Group(tid, name, processing, started, cluster.MockThreads));
        var result = new Measurement(inputEnds.Sum(), 0, start, end)
        {
            ThreadCpu = TimeSpan.FromTicks(groups.GetValueOrDefault(KafkaThreadGroups.Processing) / 100),
        };
        return new RunResult(kind, round, result, outputs, changelogRecords, groups, startUp, stop) 
        {
            Allocations = sampled,
            Commits = (commitsAfter.Time - commitsBefore.Time, commitsAfter.Count - commitsBefore.Count),
        };
    }

    /// <summary>
    /// The reference row: one consumer (the project's configuration, partitions assigned, no group join) reads the
    /// whole input on a thread of its own and does nothing else: no produce, no commit. Measured from its first record
    /// to its last, by that thread.
    /// </summary>
    public static Task<RunResult> ConsumeOnlyAsync(BenchCluster cluster, int round, string input, long[] inputEnds, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            () =>
            {
                var total = inputEnds.Sum();
                var group = "r" + Guid.NewGuid().ToString("N")[..8];
                using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Consumer(cluster.Options, group, group)).Build();
                var began = Stopwatch.GetTimestamp();
                consumer.Assign(Enumerable.Range(0, inputEnds.Length).Select(p => new TopicPartitionOffset(input, p, Offset.Beginning)));
                long count = 0;
                var start = default(ProcessSnapshot);
                var cpu = TimeSpan.Zero;
                while (count < total)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is null)
                    {
                        if (Stopwatch.GetElapsedTime(began) > Timeout)
                        {
                            throw new TimeoutException($"The consumer did not read the input within {Timeout.TotalMinutes} minutes.");
                        }

                        continue;
                    }

                    if (count++ == 0)
                    {
                        start = GcControl.PreciseSnapshot();
                        cpu = ThreadCpu.Now();
                    }
                }

                var end = GcControl.PreciseSnapshot();
                cpu = ThreadCpu.Now() - cpu;
                var startUp = Stopwatch.GetElapsedTime(began, start.Timestamp);
                consumer.Close();
                return new RunResult(PipelineKind.ConsumeOnly, round, new Measurement(total, 0, start, end) { ThreadCpu = cpu }, 0, null, new Dictionary<string, long>(), startUp, TimeSpan.Zero);
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    /// <summary>Starts <paramref name="pipeline"/> (a counting instance over an existing changelog) and measures until its 6 tasks run (polled every 1 ms); stops it cleanly after.</summary>
    public static async Task<RestoreResult> RestoreAsync(ProcessingMeter meter, string source, int round, RuntimePipeline pipeline, CancellationToken cancellationToken)
    {
        meter.Reset();
        var start = GcControl.PreciseSnapshot();
        var began = start.Timestamp;
        pipeline.Start();
        TimeSpan? assigned = null;
        while (true)
        {
            var tasks = pipeline.Application!.Tasks;
            if (tasks.Count == BenchmarkOptions.Partitions)
            {
                assigned ??= Stopwatch.GetElapsedTime(began);
                if (tasks.Values.All(static s => s == TaskState.Running))
                {
                    break;
                }
            }

            await WaitAsync(pipeline, began, 1, cancellationToken).ConfigureAwait(false);
        }

        var end = GcControl.PreciseSnapshot();
        var running = Stopwatch.GetElapsedTime(began, end.Timestamp);
        var restores = meter.Restores;
        var restored = meter.Restored;
        var stopping = Stopwatch.GetTimestamp();
        await pipeline.StopAsync().ConfigureAwait(false);
        var stop = Stopwatch.GetElapsedTime(stopping);
        return new RestoreResult(source, round, assigned!.Value, running, restores, new Measurement(restored, 0, start, end), stop);
    }

    private static async Task WaitAsync(IPipeline pipeline, long began, int milliseconds, CancellationToken cancellationToken)
    {
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
