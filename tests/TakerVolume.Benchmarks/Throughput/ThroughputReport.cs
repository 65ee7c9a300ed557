using System.Globalization;
using System.Text;
using TakerVolume.Benchmarks.Input;
using TakerVolume.Benchmarks.Pipelines;

namespace TakerVolume.Benchmarks.Throughput;

/// <summary>The throughput mode's Markdown tables.</summary>
internal static class ThroughputReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly PipelineKind[] Order = [PipelineKind.Baseline, PipelineKind.PassThrough, PipelineKind.TakerVolume, PipelineKind.TakerVolumeHost];

    public static string Render(BenchmarkOptions options, SymbolUniverse universe, RawFeed feed, IReadOnlyList<ThroughputRun> runs)
    {
        var report = new StringBuilder();
        var records = runs[0].Result.Messages;
        var unique = feed.Expected.Trades;
        var spanMinutes = (feed.LastTimeUs - BenchContext.InputStartUs) / 60e6;
        var top = universe.Symbols[0];
        report.AppendLine(string.Create(Invariant,
            $"## Throughput: {records:N0} raw aggTrade events ({unique:N0} trades + {feed.Copies:N0} copies), {universe.Symbols.Count} symbols, {options.Rounds} rounds of A, B, TV"));
        report.AppendLine();
        report.AppendLine(string.Create(Invariant,
            $"Input: {spanMinutes:N1} minutes of exchange time at {options.StreamRate:N0} trades/s; shares Zipf s = {options.Zipf:N2}: {top.Name} {top.Share:P1} ({top.Share * options.StreamRate:N0} trades/s), "
            + $"first 10 symbols {universe.Symbols.Take(10).Sum(s => s.Share):P0}; {feed.Expected.Count:N0} (symbol, 15-minute window) pairs. Commit interval {options.CommitInterval.TotalMilliseconds:N0} ms for every pipeline."));
        report.AppendLine();
        report.AppendLine("| Pipeline | input records/s: median (min–max) | Ratio to B (same round): median (min–max) | Ratio to A | Process CPU µs/record: median | CPU/record ratio to B | Processing thread µs/record | Allocated B/record | Output records per input record | Changelog records / bytes per input record | Results |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        var byRound = runs.Where(r => r.Kind == PipelineKind.PassThrough).ToDictionary(r => r.Round);
        var baseline = runs.Where(r => r.Kind == PipelineKind.Baseline).ToDictionary(r => r.Round);
        foreach (var kind in Order)
        {
            var mine = runs.Where(r => r.Kind == kind).ToList();
            if (mine.Count == 0)
            {
                continue;
            }

            var rates = mine.Select(r => r.Result.MessagesPerSecond).ToList();
            var toB = mine.Select(r => r.Result.MessagesPerSecond / byRound[r.Round].Result.MessagesPerSecond);
            var toA = mine.Select(r => r.Result.MessagesPerSecond / baseline[r.Round].Result.MessagesPerSecond);
            var cpu = mine.Select(r => r.Result.CpuMicrosecondsPerMessage).ToList();
            var cpuToB = mine.Select(r => r.Result.CpuMicrosecondsPerMessage / byRound[r.Round].Result.CpuMicrosecondsPerMessage);
            var thread = mine.Select(r => r.Result.ThreadCpuNanosecondsPerMessage / 1000);
            var allocated = mine.Select(r => r.Result.AllocatedBytesPerMessage);
            var outputs = mine.Select(r => r.OutputRecords / (double)records);
            var changelog = kind is PipelineKind.TakerVolume or PipelineKind.TakerVolumeHost
                ? string.Create(Invariant, $"{Summary.Median([.. mine.Select(r => r.ChangelogRecords / (double)records)]):N3} / {Summary.Median([.. mine.Select(r => r.ChangelogBytes / (double)records)]):N0}")
                : "–";
            report.AppendLine(string.Create(Invariant,
                $"| {Name(kind)} | **{Summary.MedianRange(rates, "N0")}** | **{Summary.MedianRange(toB, "N2")}×** | {Summary.MedianRange(toA, "N2")}× | {Summary.MedianRange(cpu, "N2")} | "
                + $"{Summary.MedianRange(cpuToB, "N2")}× | {Summary.MedianRange(thread, "N2")} | {Summary.MedianRange(allocated, "N0")} | {Summary.MedianRange(outputs, "N3")} | {changelog} | {Results(mine)} |"));
        }

        report.AppendLine();
        report.AppendLine(string.Create(Invariant,
            $"Unique trades per second are the input rates × {unique / (double)records:N3} (the copies are {feed.Copies / (double)records:P1} of the input)."));
        report.AppendLine();
        report.Append(RunTable(runs));
        report.Append(ThreadTable(runs));
        report.Append(OutputTable(runs, records));
        report.Append(AllocationTable(runs));
        return report.ToString();
    }

    private static string Results(List<ThroughputRun> runs)
    {
        if (runs.All(r => r.Check is null))
        {
            return runs.All(r => r.OutputRecords == r.Result.Messages) ? "one output per input record" : "output count differs from input";
        }

        var exact = runs.Count(r => r.Check is { Count: 0 });
        return exact == runs.Count ? $"exact in {exact} of {runs.Count} runs" : $"**differ in {runs.Count - exact} of {runs.Count} runs**: {runs.First(r => r.Check is { Count: > 0 }).Check![0]}";
    }

    private static string Name(PipelineKind kind) => kind switch
    {
        PipelineKind.Baseline => "A. Plain Confluent.Kafka consume→produce loop",
        PipelineKind.PassThrough => "B. Runtime pass-through topology (no store)",
        PipelineKind.TakerVolume => "TV. Taker-volume topology on the runtime",
        _ => "TV host. The processor as its program builds it (`TakerVolumeHost.Build`), once",
    };

    private static string Short(PipelineKind kind) => kind switch
    {
        PipelineKind.Baseline => "A",
        PipelineKind.PassThrough => "B",
        PipelineKind.TakerVolume => "TV",
        _ => "TV host",
    };

    private static string RunTable(IReadOnlyList<ThroughputRun> runs)
    {
        var table = new StringBuilder();
        table.AppendLine("| Run | Pipeline | Window, s | input records/s | Process CPU µs/record | Processing thread µs/record | CPU used (of " + Environment.ProcessorCount
            + " cores) | Allocated B/record | GC gen0 / gen1 / gen2 | GC pause share | Commits: count, share of the window in them | Start → first output, s | Stop, s |");
        table.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var order = 0;
        foreach (var run in runs)
        {
            var r = run.Result;
            table.AppendLine(string.Create(Invariant,
                $"| {++order} | {Short(run.Kind)} | {r.Seconds:N2} | {r.MessagesPerSecond:N0} | {r.CpuMicrosecondsPerMessage:N2} | {r.ThreadCpuNanosecondsPerMessage / 1000:N2} | "
                + $"{r.CpuUtilization * 100:N0} % | {r.AllocatedBytesPerMessage:N0} | {r.Gen0Collections} / {r.Gen1Collections} / {r.Gen2Collections} | {r.GcPauseShare * 100:N1} % | "
                + $"{run.Drain.Commits.Count:N0}, {run.Drain.Commits.Time.TotalSeconds / r.Seconds * 100:N0} % | {run.Drain.StartUp.TotalSeconds:N2} | {run.Stop.TotalSeconds:N2} |"));
        }

        table.AppendLine();
        return table.ToString();
    }

    private static string ThreadTable(IReadOnlyList<ThroughputRun> runs)
    {
        var kinds = Order.Where(k => runs.Any(r => r.Kind == k)).ToList();
        var pooled = kinds.ToDictionary(k => k, k => runs.Where(r => r.Kind == k).ToList());
        var records = kinds.ToDictionary(k => k, k => (double)pooled[k].Sum(r => r.Result.Messages));
        var process = kinds.ToDictionary(k => k, k => pooled[k].Sum(r => (r.Result.End.Cpu - r.Result.Start.Cpu).TotalNanoseconds));
        double Group(PipelineKind kind, string group) => pooled[kind].Sum(r => (double)r.Drain.ThreadCpu.GetValueOrDefault(group));
        var groups = runs.SelectMany(r => r.Drain.ThreadCpu.Keys).Distinct(StringComparer.Ordinal)
            .Where(g => kinds.Any(k => Group(k, g) / process[k] >= 0.01))
            .OrderByDescending(g => Group(PipelineKind.TakerVolume, g))
            .ToList();
        var table = new StringBuilder();
        table.AppendLine($"| CPU by thread, ns per input record (rounds pooled; /proc/self/task) | {string.Join(" | ", kinds.Select(Short))} |");
        table.AppendLine($"|---|{string.Concat(kinds.Select(_ => "---:|"))}");
        foreach (var group in groups)
        {
            table.AppendLine(string.Create(Invariant, $"| {group} | {string.Join(" | ", kinds.Select(k => (Group(k, group) / records[k]).ToString("N0", Invariant)))} |"));
        }

        double All(PipelineKind kind) => pooled[kind].Sum(r => (double)r.Drain.ThreadCpu.Values.Sum());
        table.AppendLine(string.Create(Invariant,
            $"| Other threads (each under 1 % of the process) | {string.Join(" | ", kinds.Select(k => ((All(k) - groups.Sum(g => Group(k, g))) / records[k]).ToString("N0", Invariant)))} |"));
        table.AppendLine(string.Create(Invariant,
            $"| **Whole process** (`Environment.CpuUsage`, its own clock) | {string.Join(" | ", kinds.Select(k => $"**{(process[k] / records[k]).ToString("N0", Invariant)}**"))} |"));
        table.AppendLine();
        return table.ToString();
    }

    /// <summary>Sampled shares by type (rounds pooled) times each pipeline's measured allocated bytes per record.</summary>
    private static string AllocationTable(IReadOnlyList<ThroughputRun> runs)
    {
        var kinds = Order.Where(k => runs.Any(r => r.Kind == k && r.Drain.Allocations is not null)).ToList();
        if (kinds.Count == 0)
        {
            return string.Empty;
        }

        var perRecord = new Dictionary<PipelineKind, Dictionary<string, double>>();
        foreach (var kind in kinds)
        {
            var mine = runs.Where(r => r.Kind == kind && r.Drain.Allocations is not null).ToList();
            var bytes = mine.SelectMany(r => r.Drain.Allocations!).GroupBy(e => e.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (double)g.Sum(e => e.Value), StringComparer.Ordinal);
            var total = Math.Max(1, bytes.Values.Sum());
            var measured = mine.Sum(r => (double)(r.Result.End.AllocatedBytes - r.Result.Start.AllocatedBytes)) / mine.Sum(r => r.Result.Messages);
            perRecord[kind] = bytes.ToDictionary(e => e.Key, e => e.Value / total * measured, StringComparer.Ordinal);
        }

        var types = kinds.SelectMany(k => perRecord[k].OrderByDescending(e => e.Value).Take(15).Select(e => e.Key)).Distinct(StringComparer.Ordinal)
            .OrderByDescending(t => perRecord.GetValueOrDefault(PipelineKind.TakerVolume)?.GetValueOrDefault(t) ?? 0)
            .ToList();
        var table = new StringBuilder();
        table.AppendLine($"| Allocated by type, B per input record (GC allocation ticks, about one per 100 KB; rounds pooled) | {string.Join(" | ", kinds.Select(Short))} |");
        table.AppendLine($"|---|{string.Concat(kinds.Select(_ => "---:|"))}");
        foreach (var type in types)
        {
            table.AppendLine(string.Create(Invariant, $"| `` {type} `` | {string.Join(" | ", kinds.Select(k => perRecord[k].GetValueOrDefault(type).ToString("N0", Invariant)))} |"));
        }

        table.AppendLine(string.Create(Invariant,
            $"| Other types | {string.Join(" | ", kinds.Select(k => perRecord[k].Where(e => !types.Contains(e.Key)).Sum(e => e.Value).ToString("N0", Invariant)))} |"));
        table.AppendLine();
        return table.ToString();
    }

    private static string OutputTable(IReadOnlyList<ThroughputRun> runs, long records)
    {
        var table = new StringBuilder();
        var taker = runs.Where(r => r.Kind is PipelineKind.TakerVolume or PipelineKind.TakerVolumeHost).ToList();
        if (taker.Count == 0)
        {
            return string.Empty;
        }

        table.AppendLine("| Taker-volume run | " + string.Join(" | ", taker[0].Outputs.Keys.Select(k => $"{k} records")) + " | "
            + string.Join(" | ", taker[0].Changelogs.Select(c => $"`{c.Store}` changelog: records (tombstones) / bytes per input record")) + " |");
        table.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", taker[0].Outputs.Count + taker[0].Changelogs.Count)));
        foreach (var run in taker)
        {
            table.AppendLine(string.Create(Invariant,
                $"| {Short(run.Kind)} round {run.Round} | {string.Join(" | ", run.Outputs.Values.Select(v => v.ToString("N0", Invariant)))} | "
                + $"{string.Join(" | ", run.Changelogs.Select(c => string.Create(Invariant, $"{c.Records / (double)records:N3} ({c.Tombstones / (double)records:N3}) / {c.Bytes / (double)records:N0}")))} |"));
        }

        table.AppendLine();
        return table.ToString();
    }
}
