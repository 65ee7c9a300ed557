using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Running;
using Microsoft.Extensions.Logging;
using Streaming.Processing.Benchmarks;
using Streaming.Processing.CountingApp;

// The stream-processing runtime against a plain consume→produce loop on the same embedded broker, in one run:
// records/s, CPU and allocations per record of a pass-through and of the counting topology; restore speed from a
// local snapshot and from the changelog alone. "micro" runs the BenchmarkDotNet hot paths instead. See README.md.
if (args.Length > 0 && args[0] == "micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(Streaming.Processing.Benchmarks.Micro.SequenceTrackerBenchmarks).Assembly).Run(args[1..]);
    return 0;
}

var options = BenchmarkOptions.Parse(args, out var error);
if (options is null)
{
    if (!string.IsNullOrEmpty(error))
    {
        Console.Error.WriteLine(error);
    }

    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return string.IsNullOrEmpty(error) ? 0 : 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var invariant = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(invariant, $"Stream-processing runtime benchmark, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC, mode {options.Mode.ToString().ToLowerInvariant()}"));
Console.WriteLine(string.Create(invariant,
    $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, "
    + $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? " (concurrent)" : string.Empty)}"));
Console.WriteLine($"Load average at start (1, 5, 15 min): {MachineLoad.LoadAverage()}");
Console.WriteLine();

using var meter = new ProcessingMeter(Streaming.Processing.ProcessingMetrics.MeterName);
using var allocations = options.SampleAllocations ? new AllocationSampler() : null;
using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
var stateRoot = Path.Combine(Path.GetTempPath(), "processing-bench-" + Guid.NewGuid().ToString("N")[..8]);
Console.Error.WriteLine("Embedded Kafka (3 brokers) starting...");
using var cluster = new BenchCluster();
var factory = new PipelineFactory(cluster, cluster.Options, stateRoot, meter, loggerFactory);
try
{
    if (options.Mode is BenchmarkMode.All or BenchmarkMode.Throughput)
    {
        await ThroughputAsync();
    }

    if (options.Mode is BenchmarkMode.All or BenchmarkMode.Restore)
    {
        await RestoreAsync();
    }
}
finally
{
    if (Directory.Exists(stateRoot))
    {
        Directory.Delete(stateRoot, recursive: true);
    }
}

Console.WriteLine($"Load average at the end (1, 5, 15 min): {MachineLoad.LoadAverage()}");
return 0;

async Task ThroughputAsync()
{
    await Console.Error.WriteLineAsync(string.Create(invariant, $"Producing {options.WarmupRecords:N0} warm-up and {options.Records:N0} input records ({options.Keys:N0} keys, {BenchmarkOptions.Partitions} partitions)..."));
    var warmupInput = cluster.CreateTopic("bench-warmup-in", BenchmarkOptions.Partitions);
    new CountingInput(seed: 2, options.Keys).ProduceTo(cluster.BootstrapServers, warmupInput, options.WarmupRecords);
    var input = cluster.CreateTopic("bench-in", BenchmarkOptions.Partitions);
    var generator = new CountingInput(seed: 1, options.Keys);
    generator.ProduceTo(cluster.BootstrapServers, input, options.Records);
    var warmupEnds = cluster.EndOffsets(warmupInput);
    var inputEnds = cluster.EndOffsets(input);

    var kinds = new[] { PipelineKind.ConsumeOnly, PipelineKind.Baseline, PipelineKind.PassThrough, PipelineKind.Counting };
    foreach (var kind in kinds)
    {
        var warm = await RunAsync(kind, 0, warmupInput, warmupEnds);
        await Console.Error.WriteLineAsync(string.Create(invariant, $"warm-up {kind}: {warm.Result.MessagesPerSecond:N0} records/s"));
    }

    var results = new List<RunResult>();
    for (var round = 1; round <= options.Rounds; round++)
    {
        foreach (var kind in kinds)
        {
            var result = await RunAsync(kind, round, input, inputEnds);
            results.Add(result);
            await Console.Error.WriteLineAsync(string.Create(invariant,
                $"round {round} {kind}: {result.Result.MessagesPerSecond:N0} records/s, {result.Result.CpuMicrosecondsPerMessage:N2} µs CPU/record, {result.Result.AllocatedBytesPerMessage:N0} B/record"));
        }
    }

    await Console.Out.WriteLineAsync(Report.Throughput(options, generator, results));
}

async Task<RunResult> RunAsync(PipelineKind kind, int round, string input, long[] inputEnds)
{
    if (kind == PipelineKind.ConsumeOnly)
    {
        var reference = await Runs.ConsumeOnlyAsync(cluster, round, input, inputEnds, cancellation.Token);
        GcControl.Collect();
        return reference;
    }

    var (pipeline, output, changelog) = factory.Create(kind, input, string.Create(invariant, $"{"abcr"[(int)kind]}{round}"));
    RunResult result;
    await using (pipeline)
    {
        result = await Runs.ThroughputAsync(cluster, meter, kind, round, pipeline, input, inputEnds, output, changelog, round > 0 ? allocations : null, cancellation.Token);
    }

    GcControl.Collect();
    return result;
}

async Task RestoreAsync()
{
    var app = "r-" + Guid.NewGuid().ToString("N")[..8];
    var input = cluster.CreateTopic(app + "-in", BenchmarkOptions.Partitions);
    await Console.Error.WriteLineAsync(string.Create(invariant, $"Producing {options.RestoreRecords:N0} records over {options.RestoreKeys:N0} keys for the restore mode..."));
    new CountingInput(seed: 3, options.RestoreKeys).ProduceTo(cluster.BootstrapServers, input, options.RestoreRecords);
    var inputEnds = cluster.EndOffsets(input);
    var output = cluster.CreateTopic(app + "-out", BenchmarkOptions.Partitions);
    cluster.CreateTopic(app + "-dlq", 1);
    var changelog = CountingTopology.Changelog(app);

    await Console.Error.WriteLineAsync("Building the changelog: the counting topology over that input...");
    RunResult build;
    await using (var first = factory.Counting(app, input, output))
    {
        build = await Runs.ThroughputAsync(cluster, meter, PipelineKind.Counting, 1, first, input, inputEnds, output, changelog, null, cancellation.Token);
    }

    GcControl.Collect();
    var appDirectory = Path.Combine(stateRoot, app);
    var snapshotBytes = Directory.GetFiles(appDirectory, "snapshot.bin", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    var results = new List<RestoreResult>();
    for (var round = 1; round <= options.RestoreRounds; round++)
    {
        foreach (var source in new[] { "snapshot", "changelog" })
        {
            if (source == "changelog")
            {
                Directory.Delete(appDirectory, recursive: true);
            }

            RestoreResult result;
            await using (var instance = factory.CountingOverExisting(app, input, output))
            {
                result = await Runs.RestoreAsync(meter, source, round, instance, cancellation.Token);
            }

            results.Add(result);
            await Console.Error.WriteLineAsync(string.Create(invariant,
                $"round {round} from {source}: all tasks running after {result.Running.TotalMilliseconds:N0} ms, {result.Result.Messages:N0} changelog records applied"));
            GcControl.Collect();
        }
    }

    await Console.Out.WriteLineAsync(Report.Restore(options, build, cluster.EndOffsets(changelog).Sum(), snapshotBytes, results));
}
