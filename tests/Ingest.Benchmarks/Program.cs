using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using Ingest.Benchmarks;

// Sustained messages/s one ingest pod takes from the exchange simulator into Kafka, against a bare receive-and-discard
// loop on the same market and sockets, in one run; and the CPU each costs per message. A Stopwatch harness (what is
// measured is a server, a pod and a broker over seconds, not one method). See README.md.
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
var cores = Environment.ProcessorCount;
var streamCount = options.Symbols * BenchmarkOptions.StreamsPerSymbol;
Console.WriteLine(string.Create(invariant, $"Ingest pod throughput, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC"));
Console.WriteLine(string.Create(invariant,
    $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {cores} cores, "
    + $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC"));
Console.WriteLine(string.Create(invariant,
    $"Market: spot, {options.Symbols} symbols, seed 1, {options.TradesPerSecond:N0} trades per simulated second (normal regime); "
    + $"{streamCount} streams (aggTrade + kline_15m + depth@100ms), at most {options.MaxStreamsPerConnection} per connection; "
    + $"warm-up {options.WarmupSeconds} s, window {options.Seconds} s per row"));
Console.WriteLine($"Load average at start (1, 5, 15 min): {LoadAverage()}");
Console.WriteLine();

Console.Error.WriteLine("1/4 baseline (simulator -> bare ClientWebSocket receive loops)...");
var baseline = await BaselineRun.RunAsync(options, cancellation.Token);
Collect();
if (baseline.Result.Messages == 0)
{
    Console.Error.WriteLine("The baseline received nothing from the simulator.");
    return 1;
}

Console.Error.WriteLine("2/4 embedded Kafka, simulator and pod starting...");
var (paced, clocked, speed, totals) = await PodRun.RunAsync(options, cancellation.Token);

var b = baseline.Result;
string N0(double value) => double.IsNaN(value) ? "n/a" : value.ToString("N0", invariant);
string Ns(RowResult row) => N0(row.Result.CpuMicrosecondsPerMessage * 1000);
string Rate(RowResult row) => string.Create(invariant, $"{row.Result.MessagesPerSecond / b.MessagesPerSecond:N2}×");
string CpuRatio(RowResult row) => string.Create(invariant, $"{row.Result.CpuMicrosecondsPerMessage / b.CpuMicrosecondsPerMessage:N1}×");
string Share(RowResult row) => string.Create(invariant, $"{row.Result.CpuUtilization * 100:N0} %");
var report = new StringBuilder();
report.AppendLine("| # | Measurement | msg/s | Ratio to baseline | Process CPU ns/msg | CPU/msg ratio | CPU used (of " + cores + " cores) |");
report.AppendLine("|---|---|---:|---:|---:|---:|---:|");
report.AppendLine(string.Create(invariant,
    $"| 1 | Baseline: `ExchangeSimulatorServer` → {baseline.Connections.Count} × bare `ClientWebSocket.ReceiveAsync` loop "
    + $"({string.Join(" + ", baseline.Connections.Select(c => c.Streams))} streams, SUBSCRIBE), received, avg {b.AverageMessageBytes:N0} B | "
    + $"{b.MessagesPerSecond:N0} | 1.00× | {Ns(baseline)} | 1.0× | {Share(baseline)} |"));
report.AppendLine(string.Create(invariant,
    $"| 2 | Pod: `IngestHost` → embedded Kafka (3 brokers), market paced by the pod (≤ 8,192 frames not yet produced, ≤ 65,536 records not yet appended) | "
    + $"**{paced.Result.MessagesPerSecond:N0}** | **{Rate(paced)}** | **{Ns(paced)}** | {CpuRatio(paced)} | {Share(paced)} |"));
report.AppendLine(string.Create(invariant,
    $"| 3 | Pod, simulator clock at {speed:0.0}× real time (open loop{(options.Speed is null ? $", {BenchmarkOptions.ClockShareOfSustained:P0} of row 2's speed" : string.Empty)}) | "
    + $"{clocked.Result.MessagesPerSecond:N0} | {Rate(clocked)} | {Ns(clocked)} | {CpuRatio(clocked)} | {Share(clocked)} |"));
report.AppendLine();

report.AppendLine("| Pod rows in detail | Row 2 (paced) | Row 3 (clock) |");
report.AppendLine("|---|---:|---:|");
void PodLine(string label, Func<RowResult, string> value) => report.AppendLine($"| {label} | {value(paced)} | {value(clocked)} |");
string PerSecond(RowResult row, long count) => N0(count / row.Result.Seconds);
PodLine("Simulated seconds per second", r => r.Driver.SimulatedSpeed.ToString("N1", invariant));
PodLine("Simulator: messages handed to the pod's connections, /s", r => PerSecond(r, r.Delivered));
PodLine("Pod: records handed to the producer (`ingest.raw.produced`), /s", r => PerSecond(r, r.Counters![IngestCounters.Produced]));
PodLine("Brokers: records appended, /s (aggTrade / depth / kline)", r => string.Create(invariant,
    $"{PerSecond(r, r.Appended![PodRun.AggTradeTopic])} / {PerSecond(r, r.Appended[PodRun.DepthTopic])} / {PerSecond(r, r.Appended[PodRun.KlineTopic])}"));
PodLine("`ingest.frames.dropped` / events later than the lag threshold (`ingest.connection.lagging`)", r => string.Create(invariant,
    $"{r.Counters![IngestCounters.FramesDropped]:N0} / {r.Counters[IngestCounters.Lagging]:N0}"));
PodLine("Feed gaps reported / REST-backfilled trades", r => string.Create(invariant,
    $"{r.Counters![IngestCounters.Gaps]:N0} / {r.Counters[IngestCounters.Backfilled]:N0}"));
PodLine("Producer queue-full waits / reconnects / delivery failures", r => string.Create(invariant,
    $"{r.Counters![IngestCounters.BackPressureWaits]:N0} / {r.Counters[IngestCounters.Reconnects]:N0} / {r.Counters[IngestCounters.DeliveryFailed]:N0}"));
PodLine("Simulator producer inside `AdvanceTo` (wall clock share) / its waits for the pod", r => string.Create(invariant,
    $"{r.Driver.BusyShare * 100:N0} % / {r.Driver.Waits:N0}"));
PodLine("Messages queued in the simulator for the pod at the end of the window", r => N0(r.Connections.Sum(c => c.Queued)));
PodLine("Allocated bytes per message / GC pause share", r => string.Create(invariant,
    $"{r.Result.AllocatedBytesPerMessage:N0} / {r.Result.GcPauseShare * 100:N1} %"));
PodLine("GC heap after the window's last collection, MB", r => N0(r.HeapBytes / 1e6));
PodLine("GC collections gen0 / gen1 / gen2", r => $"{r.Result.Gen0Collections} / {r.Result.Gen1Collections} / {r.Result.Gen2Collections}");
report.AppendLine();

report.AppendLine(string.Create(invariant,
    $"Whole pod run (rows 2 and 3 and their warm-ups, after a drain{(totals.Drained ? string.Empty : " that did NOT settle within 30 s")}): "
    + $"the simulator delivered {totals.Delivered:N0} messages; the pod handed {totals.Produced:N0} records to its producer "
    + $"({totals.Backfilled:N0} of them REST backfill); the brokers hold {totals.Appended:N0} raw records and {totals.Gaps:N0} feed gaps; "
    + $"frames lost between socket and producer: {totals.Lost:N0} (`ingest.frames.dropped` says {totals.Counters[IngestCounters.FramesDropped]:N0}); "
    + $"records produced but not in Kafka: {totals.Produced - totals.Appended:N0}. "
    + $"The pod subscribed {totals.Connections.Sum(c => c.Streams):N0} streams on {totals.Connections.Count} connections "
    + $"({string.Join(" + ", totals.Connections.Select(c => c.Streams))}) {totals.StartUp.TotalSeconds:N1} s after StartAsync."));
report.AppendLine();

// CPU by thread group, ns per counted message.
var processNs = new[] { baseline, paced, clocked }.Select(r => (r.Result.End.Cpu - r.Result.Start.Cpu).TotalNanoseconds).ToArray();
var groups = baseline.ThreadCpu.Keys.Union(paced.ThreadCpu.Keys).Union(clocked.ThreadCpu.Keys)
    .Select(g => (Group: g, Paced: paced.ThreadCpu.GetValueOrDefault(g)))
    .OrderByDescending(g => g.Paced)
    .Select(g => g.Group)
    .ToList();
string PerMessage(RowResult row, double nanoseconds) => N0(nanoseconds / row.Result.Messages);
var rows = new[] { baseline, paced, clocked };

// Groups that used at least 1 % of the process's CPU in some row; the rest (and threads that ended) in one line.
var shown = groups.Where(g => rows.Select((r, i) => r.ThreadCpu.GetValueOrDefault(g) / processNs[i]).Any(share => share >= 0.01)).ToList();
report.AppendLine("| CPU by thread, ns per message (thread CPU from /proc/self/task) | Baseline (1) | Pod paced (2) | Pod clock (3) |");
report.AppendLine("|---|---:|---:|---:|");
foreach (var group in shown)
{
    report.AppendLine($"| `{group}` | {string.Join(" | ", rows.Select(r => PerMessage(r, r.ThreadCpu.GetValueOrDefault(group))))} |");
}

report.AppendLine(string.Create(invariant,
    $"| … of `.NET TP Worker`: the simulator's producer inside `AdvanceTo` | {PerMessage(baseline, baseline.Driver.Cpu.TotalNanoseconds)} | "
    + $"{PerMessage(paced, paced.Driver.Cpu.TotalNanoseconds)} | {PerMessage(clocked, clocked.Driver.Cpu.TotalNanoseconds)} |"));
report.AppendLine(string.Create(invariant,
    $"| Other threads (each under 1 % of the process), and threads that ended in the window | "
    + $"{string.Join(" | ", rows.Select((r, i) => PerMessage(r, processNs[i] - shown.Sum(g => (double)r.ThreadCpu.GetValueOrDefault(g)))))} |"));
report.AppendLine(string.Create(invariant,
    $"| **Whole process** (`Environment.CpuUsage`) | **{Ns(baseline)}** | **{Ns(paced)}** | **{Ns(clocked)}** |"));
report.AppendLine(string.Create(invariant,
    $"| Added by the pod over the baseline | – | {N0((paced.Result.CpuMicrosecondsPerMessage - b.CpuMicrosecondsPerMessage) * 1000)} | "
    + $"{N0((clocked.Result.CpuMicrosecondsPerMessage - b.CpuMicrosecondsPerMessage) * 1000)} |"));
report.AppendLine();

if (paced.Allocations is { } sampled && clocked.Allocations is { } sampled3)
{
    report.AppendLine("| Allocated by type (GC allocation ticks, whole process) | Row 2: share | B/msg | Row 3: share | B/msg |");
    report.AppendLine("|---|---:|---:|---:|---:|");
    foreach (var (type, share) in sampled.Take(12))
    {
        var other = sampled3.FirstOrDefault(a => a.Type == type).Share;
        report.AppendLine(string.Create(invariant,
            $"| `{type}` | {share * 100:N1} % | {share * paced.Result.AllocatedBytesPerMessage:N0} | {other * 100:N1} % | {other * clocked.Result.AllocatedBytesPerMessage:N0} |"));
    }

    report.AppendLine();
}

var mock = paced.ThreadCpu.GetValueOrDefault(PodRun.MockGroup);
report.AppendLine(string.Create(invariant,
    $"The mock brokers used {mock / 1e9 / paced.Result.Seconds * 100:N0} % of one core in row 2 "
    + $"({mock / processNs[1] * 100:N0} % of the process's CPU); the pod's librdkafka threads "
    + $"{paced.ThreadCpu.GetValueOrDefault(PodRun.PodKafkaGroup) / processNs[1] * 100:N0} %; the simulator's producer "
    + $"{paced.Driver.Cpu.TotalNanoseconds / processNs[1] * 100:N0} %."));
report.AppendLine(string.Create(invariant,
    $"Baseline: the simulator's producer was inside `AdvanceTo` {baseline.Driver.BusyShare * 100:N0} % of the window and waited for the receivers "
    + $"{baseline.Driver.Waits:N0} times; simulated time ran at {baseline.Driver.SimulatedSpeed:N1}× real time; "
    + $"{baseline.Connections.Count} connection(s) still served at the end."));
report.AppendLine($"Load average at the end (1, 5, 15 min): {LoadAverage()}");

Console.WriteLine(report.ToString());
return totals.Drained && baseline.Connections.Count > 0 ? 0 : 1;

static void Collect()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
}

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
