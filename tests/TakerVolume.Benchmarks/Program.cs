using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Running;
using Microsoft.Extensions.Logging;
using TakerVolume.Benchmarks;
using TakerVolume.Benchmarks.Kafka;
using TakerVolume.Benchmarks.Latency;
using TakerVolume.Benchmarks.Input;
using TakerVolume.Benchmarks.Memory;
using TakerVolume.Benchmarks.Pipelines;
using TakerVolume.Benchmarks.Throughput;

// The taker-volume processor against the runtime's pass-through topology on the same embedded broker, in one run:
// trades/s with exactly-once results, end-to-end latency at a realistic rate and at peak, memory and changelog volume
// per symbol. "micro" runs the BenchmarkDotNet hot paths instead. See README.md.
if (args.Length > 0 && args[0] == "micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(TakerVolume.Benchmarks.Micro.ParserBenchmarks).Assembly).Run(args[1..]);
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
Console.WriteLine(string.Create(invariant, $"TakerVolume benchmark, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC, mode {options.Mode.ToString().ToLowerInvariant()}"));
Console.WriteLine(string.Create(invariant,
    $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, "
    + $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? " (concurrent)" : string.Empty)}"));
Console.WriteLine($"Load average at start (1, 5, 15 min): {MachineLoad.LoadAverage()}");
Console.WriteLine();

using var meter = new ProcessingMeter(Streaming.Processing.ProcessingMetrics.MeterName);
using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
var stateRoot = Path.Combine(Path.GetTempPath(), "taker-volume-bench-" + Guid.NewGuid().ToString("N")[..8]);
Console.Error.WriteLine("Embedded Kafka (3 brokers, the topic catalog) starting...");
using var kafka = new BenchKafka();
using var factory = new PipelineFactory(kafka, stateRoot, options.CommitInterval, meter, loggerFactory);
using var allocations = options.SampleAllocations ? new AllocationSampler() : null;
var context = new BenchContext(kafka, factory, meter, RecordedTrades.Load(), options, cancellation.Token) { Allocations = allocations };
try
{
    double? takerVolumeRate = null;
    if (options.Mode is BenchmarkMode.All or BenchmarkMode.Throughput)
    {
        takerVolumeRate = await ThroughputMode.RunAsync(context);
    }

    if (options.Mode is BenchmarkMode.All or BenchmarkMode.Latency)
    {
        await LatencyMode.RunAsync(context, takerVolumeRate);
    }

    if (options.Mode is BenchmarkMode.All or BenchmarkMode.Memory)
    {
        await MemoryMode.RunAsync(context);
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
