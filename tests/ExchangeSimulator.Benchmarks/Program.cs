using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using ExchangeSimulator.Benchmarks;

// End-to-end throughput of the exchange simulator against a plain Kestrel WebSocket baseline, in one run.
// A Stopwatch harness (BenchmarkDotNet measures methods, not a server and its clients over seconds). See README.md.
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
var window = TimeSpan.FromSeconds(options.Seconds);
var warmup = TimeSpan.FromSeconds(options.WarmupSeconds);
var stageWindow = TimeSpan.FromSeconds(Math.Clamp(options.Seconds / 6.0, 1, 5));
var stageWarmup = TimeSpan.FromSeconds(0.5);
const double GenerationSimulatedSeconds = 60;

Console.WriteLine(string.Create(invariant, $"ExchangeSimulator throughput, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC"));
Console.WriteLine(string.Create(invariant,
    $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, "
    + $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC"));
Console.WriteLine(string.Create(invariant,
    $"Market: spot, {options.Symbols} symbols, seed 1; end to end at {options.TradesPerSecond:N0} trades/s (normal regime), "
    + $"{options.Connections} connection(s), warm-up {options.WarmupSeconds} s, window {options.Seconds} s"));
Console.WriteLine($"Load average at start (1, 5, 15 min): {LoadAverage()}");
Console.WriteLine();

Console.Error.WriteLine("1/5 market generation only...");
var generationOptions = InProcessBenchmarks.Market(options.Symbols, options.GenerationTradesPerSecond);
var (generation, generatedSeconds) = InProcessBenchmarks.MarketGeneration(generationOptions, GenerationSimulatedSeconds, TimeSpan.FromSeconds(Math.Min(options.Seconds, 5)));
InProcessBenchmarks.Collect();

Console.Error.WriteLine("2/5 in-process stages...");
var stages = InProcessBenchmarks.Stages(InProcessBenchmarks.Market(options.Symbols, options.TradesPerSecond), stageWarmup, stageWindow, rounds: 2);

Console.Error.WriteLine("3/5 end to end (simulator -> ClientWebSocket)...");
var endToEnd = await EndToEndBenchmark.RunAsync(options, cancellation.Token);
InProcessBenchmarks.Collect();
if (endToEnd.Samples.Count == 0)
{
    Console.Error.WriteLine("The clients received nothing from the simulator: no baseline to compare with.");
    return 1;
}

Console.Error.WriteLine("4/5 baseline (Kestrel UseWebSockets + SendAsync)...");
var baseline = await BaselineBenchmark.RunAsync(BaselineMode.PassThrough, options.Connections, endToEnd.Samples, warmup, window, cancellation.Token);
InProcessBenchmarks.Collect();

Console.Error.WriteLine("5/5 client ceiling (pre-framed 64 KB batches)...");
var ceiling = await BaselineBenchmark.RunAsync(BaselineMode.PreFramedBatches, options.Connections, endToEnd.Samples, warmup, TimeSpan.FromSeconds(Math.Clamp(options.Seconds / 2.0, 1, 5)), cancellation.Token);

var report = new StringBuilder();
var e2e = endToEnd.Result;
var sampleAverage = endToEnd.Samples.Average(s => s.Length);
const double RealPeak = 25_000;
const double Target = 10 * RealPeak;
string Ratio(Measurement m) => string.Create(invariant, $"{m.MessagesPerSecond / baseline.MessagesPerSecond:N2}×");
string Cpu(double nanoseconds) => double.IsNaN(nanoseconds) ? "n/a" : nanoseconds.ToString("N0", invariant);

report.AppendLine(string.Create(invariant,
    $"Real peak assumed (an estimate, not a measured exchange figure): all Binance USDT symbols ≈ 400 spot (≈ 500 futures); "
    + $"depth@100ms ≤ 10 msg/s per symbol → ≤ 4,000 msg/s; aggTrade across all symbols in extreme volatility ≈ 10,000–20,000 msg/s "
    + $"(BTCUSDT alone a few thousand per second in liquidation cascades) → real peak ≈ {RealPeak:N0} msg/s per market, 10× target = {Target:N0} msg/s."));
report.AppendLine();
report.AppendLine("| # | Measurement | Rate | Payload MB/s | Ratio to baseline |");
report.AppendLine("|---|---|---:|---:|---:|");
report.AppendLine(string.Create(invariant,
    $"| 1 | Market generation only: `MarketSimulator.AdvanceTo` into a no-op listener, {options.Symbols} symbols, "
    + $"{options.GenerationTradesPerSecond:N0} trades/s, {generatedSeconds:N1} simulated s | {generation.MessagesPerSecond:N0} events/s | – | {Ratio(generation)} |"));
report.AppendLine(string.Create(invariant,
    $"| 2 | End to end: `ExchangeSimulatorServer` → {options.Connections} × `ClientWebSocket`, {2 * options.Symbols} streams "
    + $"(aggTrade + depth@100ms), {options.TradesPerSecond:N0} trades/s market, avg {e2e.AverageMessageBytes:N0} B | "
    + $"**{e2e.MessagesPerSecond:N0} msg/s** | {e2e.MegabytesPerSecond:N1} | **{Ratio(e2e)}** |"));
report.AppendLine(string.Create(invariant,
    $"| 3 | Baseline: Kestrel `app.UseWebSockets()` + one `WebSocket.SendAsync` per pre-serialized message "
    + $"({endToEnd.Samples.Count:N0} copies of row 2's messages, avg {sampleAverage:N0} B) → {options.Connections} × `ClientWebSocket` | "
    + $"{baseline.MessagesPerSecond:N0} msg/s | {baseline.MegabytesPerSecond:N1} | 1.00× |"));
report.AppendLine();
var verdict = e2e.MessagesPerSecond >= Target
    ? "meets the 10× target"
    : string.Create(invariant, $"falls short of the 10× target by {(1 - (e2e.MessagesPerSecond / Target)) * 100:N0} %");
report.AppendLine(string.Create(invariant,
    $"End to end delivered {e2e.MessagesPerSecond:N0} msg/s = {e2e.MessagesPerSecond / RealPeak:N1}× the estimated real peak: {verdict}."));
report.AppendLine();

report.AppendLine("Where the time goes: the producer's path on one thread without network (same market as row 2), then the clients' ceiling.");
report.AppendLine("Thread CPU excludes time the thread waited for a core, so it holds better on a shared machine than msg/s (wall clock); each stage is the better of 2 rounds.");
report.AppendLine();
report.AppendLine("| Stage | msg/s | Thread CPU ns/msg | Added ns/msg | Allocated B/msg |");
report.AppendLine("|---|---:|---:|---:|---:|");
report.AppendLine(string.Create(invariant,
    $"| Row 1 again (MarketSimulator alone at {options.GenerationTradesPerSecond:N0} trades/s) | {generation.MessagesPerSecond:N0} | "
    + $"{Cpu(generation.ThreadCpuNanosecondsPerMessage)} | | {generation.AllocatedBytesPerMessage:N0} |"));
var previous = double.NaN;
foreach (var (stage, result) in stages)
{
    var cpu = result.ThreadCpuNanosecondsPerMessage;
    report.AppendLine(string.Create(invariant,
        $"| {stage} | {result.MessagesPerSecond:N0} | {Cpu(cpu)} | {(double.IsNaN(previous) ? "–" : Cpu(cpu - previous))} | {result.AllocatedBytesPerMessage:N0} |"));
    previous = cpu;
}

report.AppendLine(string.Create(invariant,
    $"| Client ceiling: row 3's messages pre-framed, written in 64 KB chunks to the raw upgraded stream → {options.Connections} × `ClientWebSocket` | "
    + $"{ceiling.MessagesPerSecond:N0} | | | {ceiling.AllocatedBytesPerMessage:N0} |"));
report.AppendLine();

var producerNs = endToEnd.ProducerCpu.TotalNanoseconds / Math.Max(1, e2e.Messages);
var processNs = e2e.CpuMicrosecondsPerMessage * 1000;
report.AppendLine("| Whole process during the window | End to end (row 2) | Baseline (row 3) | Client ceiling |");
report.AppendLine("|---|---:|---:|---:|");
report.AppendLine(string.Create(invariant,
    $"| Rate, msg/s | {e2e.MessagesPerSecond:N0} | {baseline.MessagesPerSecond:N0} | {ceiling.MessagesPerSecond:N0} |"));
report.AppendLine(string.Create(invariant,
    $"| CPU used by this process (share of {Environment.ProcessorCount} cores) | {e2e.CpuUtilization * 100:N0} % | {baseline.CpuUtilization * 100:N0} % | {ceiling.CpuUtilization * 100:N0} % |"));
report.AppendLine(string.Create(invariant,
    $"| Process CPU ns per message (server + clients) | {processNs:N0} | {baseline.CpuMicrosecondsPerMessage * 1000:N0} | {ceiling.CpuMicrosecondsPerMessage * 1000:N0} |"));
report.AppendLine(string.Create(invariant,
    $"| … of which the producer thread inside `AdvanceTo` | {Cpu(producerNs)} | – | – |"));
report.AppendLine(string.Create(invariant,
    $"| … of which everything else (write loops, Kestrel, clients) | {Cpu(processNs - producerNs)} | {baseline.CpuMicrosecondsPerMessage * 1000:N0} | {ceiling.CpuMicrosecondsPerMessage * 1000:N0} |"));
report.AppendLine(string.Create(invariant,
    $"| Allocated bytes per message | {e2e.AllocatedBytesPerMessage:N0} | {baseline.AllocatedBytesPerMessage:N0} | {ceiling.AllocatedBytesPerMessage:N0} |"));
report.AppendLine(string.Create(invariant,
    $"| GC collections gen0 / gen1 / gen2 | {e2e.Gen0Collections} / {e2e.Gen1Collections} / {e2e.Gen2Collections} | "
    + $"{baseline.Gen0Collections} / {baseline.Gen1Collections} / {baseline.Gen2Collections} | {ceiling.Gen0Collections} / {ceiling.Gen1Collections} / {ceiling.Gen2Collections} |"));
report.AppendLine(string.Create(invariant,
    $"| GC pause share of the window | {e2e.GcPauseShare * 100:N1} % | {baseline.GcPauseShare * 100:N1} % | {ceiling.GcPauseShare * 100:N1} % |"));
report.AppendLine();

report.AppendLine(string.Create(invariant,
    $"End to end: the producer was inside `AdvanceTo` {endToEnd.ProducerBusyShare * 100:N0} % of the window (wall clock; its thread CPU there: "
    + $"{endToEnd.ProducerCpu.TotalSeconds / e2e.Seconds * 100:N0} % of one core) and waited for the clients {endToEnd.ProducerWaits:N0} times "
    + $"(backlog over {EndToEndBenchmark.HighWater:N0}; max {endToEnd.MaxBacklog:N0}); simulated time ran at {endToEnd.SimulatedSpeed:N1}× real time; "
    + $"{endToEnd.Trades:N0} trades and {endToEnd.DepthUpdates:N0} depth diffs generated in the window "
    + $"({endToEnd.Trades * 100.0 / Math.Max(1, endToEnd.Trades + endToEnd.DepthUpdates):N0} % trades); "
    + $"{endToEnd.ConnectionsAlive} of {options.Connections} connection(s) still served at the end."));
if (!double.IsNaN(producerNs) && producerNs > 0)
{
    report.AppendLine(string.Create(invariant,
        $"On cores of its own, the producer thread alone would stop at ≈ {1e9 / producerNs:N0} msg/s (1 s ÷ its CPU per message), "
        + $"and the whole process at ≈ {Environment.ProcessorCount * 1e9 / processNs:N0} msg/s ({Environment.ProcessorCount} cores ÷ process CPU per message)."));
}

report.AppendLine(string.Create(invariant, $"Row 1 counted {generation.Messages:N0} events in {generation.Seconds:N1} s."));
report.AppendLine($"Load average at the end (1, 5, 15 min): {LoadAverage()}");

Console.WriteLine(report.ToString());
return endToEnd.ConnectionsAlive == options.Connections ? 0 : 1;

// Other processes on a shared machine take cores from the run: the load average says how much.
static string LoadAverage()
{
    try
    {
        return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "n/a";
    }
}
