using System.Globalization;
using System.Text;

namespace Streaming.Processing.Benchmarks;

/// <summary>The Markdown tables printed on standard output.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Throughput(BenchmarkOptions options, CountingInput input, IReadOnlyList<RunResult> runs)
    {
        var report = new StringBuilder();
        report.AppendLine(string.Create(Invariant,
            $"## Throughput: {input.Produced:N0} input records ({input.Repeats:N0} repeats), {options.Keys:N0} keys, {BenchmarkOptions.Partitions} partitions, "
            + $"{options.Rounds} rounds of R, A, B, C"));
        report.AppendLine();
        report.AppendLine("| Pipeline | records/s: median (min–max) | Ratio to A in the same round: median (min–max) | Process CPU µs/record: median (min–max) | CPU/record ratio to A: median | Processing thread CPU µs/record: median | Allocated B/record: median (min–max) |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        var baseline = runs.Where(r => r.Kind == PipelineKind.Baseline).ToDictionary(r => r.Round);
        foreach (var kind in new[] { PipelineKind.Baseline, PipelineKind.PassThrough, PipelineKind.Counting, PipelineKind.ConsumeOnly })
        {
            var mine = runs.Where(r => r.Kind == kind).ToList();
            var rates = mine.Select(r => r.Result.MessagesPerSecond).ToList();
            var ratios = mine.Select(r => r.Result.MessagesPerSecond / baseline[r.Round].Result.MessagesPerSecond).ToList();
            var cpu = mine.Select(r => r.Result.CpuMicrosecondsPerMessage).ToList();
            var cpuRatios = mine.Select(r => r.Result.CpuMicrosecondsPerMessage / baseline[r.Round].Result.CpuMicrosecondsPerMessage).ToList();
            var thread = mine.Select(r => r.Result.ThreadCpuNanosecondsPerMessage / 1000).ToList();
            var allocated = mine.Select(r => r.Result.AllocatedBytesPerMessage).ToList();
            report.AppendLine(string.Create(Invariant,
                $"| {Name(kind)} | **{Summary.Median(rates):N0}** ({rates.Min():N0}–{rates.Max():N0}) | **{Summary.Median(ratios):N2}×** ({ratios.Min():N2}–{ratios.Max():N2}) | "
                + $"{Summary.Median(cpu):N2} ({cpu.Min():N2}–{cpu.Max():N2}) | {Summary.Median(cpuRatios):N2}× | {Summary.Median(thread):N2} | {Summary.Median(allocated):N0} ({allocated.Min():N0}–{allocated.Max():N0}) |"));
        }

        report.AppendLine();
        report.AppendLine("| Run | Pipeline | Window, s | records/s | Process CPU µs/record | Processing thread µs/record | CPU used (of " + Environment.ProcessorCount
            + " cores) | Allocated B/record | GC gen0 / gen1 / gen2 | GC pause share | Commits: count, share of the window spent in them | Outputs | Start → first output, s | Stop, s |");
        report.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var order = 0;
        foreach (var run in runs)
        {
            var r = run.Result;
            report.AppendLine(string.Create(Invariant,
                $"| {++order} | {"ABCR"[(int)run.Kind]} | {r.Seconds:N2} | {r.MessagesPerSecond:N0} | {r.CpuMicrosecondsPerMessage:N2} | {r.ThreadCpuNanosecondsPerMessage / 1000:N2} | "
                + $"{r.CpuUtilization * 100:N0} % | {r.AllocatedBytesPerMessage:N0} | {r.Gen0Collections} / {r.Gen1Collections} / {r.Gen2Collections} | {r.GcPauseShare * 100:N1} % | "
                + $"{(run.Kind == PipelineKind.ConsumeOnly ? "–" : string.Create(Invariant, $"{run.Commits.Count:N0}, {run.Commits.Time.TotalSeconds / r.Seconds * 100:N0} %"))} | "
                + $"{run.Outputs:N0} | {run.StartUp.TotalSeconds:N2} | {run.Stop.TotalSeconds:N2} |"));
        }

        report.AppendLine();
        report.Append(ThreadTable(runs));
        report.Append(AllocationTable([.. runs.Where(r => r.Kind != PipelineKind.ConsumeOnly)]));
        var counting = runs.Where(r => r.Kind == PipelineKind.Counting).ToList();
        var records = runs[0].Result.Messages;
        report.AppendLine(string.Create(Invariant,
            $"Outputs: A and B wrote one record per input record ({records:N0}); C wrote {string.Join(" / ", counting.Select(r => r.Outputs.ToString("N0", Invariant)))} "
            + $"(input records less the {input.Repeats:N0} repeats, which change nothing and emit nothing: {records - input.Repeats:N0}). "
            + $"C's changelog: {string.Join(" / ", counting.Select(r => r.ChangelogRecords!.Value.ToString("N0", Invariant)))} records "
            + $"({string.Join(" / ", counting.Select(r => (r.ChangelogRecords!.Value / (double)records).ToString("N3", Invariant)))} per input record: one per changed key per commit, plus 6 owner markers)."));
        report.AppendLine();
        return report.ToString();
    }

    public static string Restore(BenchmarkOptions options, RunResult build, long changelogRecords, long snapshotBytes, IReadOnlyList<RestoreResult> runs)
    {
        var report = new StringBuilder();
        report.AppendLine(string.Create(Invariant,
            $"## Restore: counting store of {options.RestoreKeys:N0} keys, changelog of {changelogRecords:N0} records over {BenchmarkOptions.Partitions} partitions"));
        report.AppendLine();
        report.AppendLine(string.Create(Invariant,
            $"Built by one counting run over {build.Result.Messages:N0} input records ({options.RestoreKeys:N0} keys): {build.Result.MessagesPerSecond:N0} records/s, "
            + $"{build.Result.CpuMicrosecondsPerMessage:N2} µs CPU and {build.Result.AllocatedBytesPerMessage:N0} B allocated per record, {build.ChangelogRecords:N0} changelog records written; "
            + $"its clean stop took {build.Stop.TotalSeconds:N2} s and left {snapshotBytes / 1e6:N2} MB of snapshots. Each restart below adds 6 owner markers to the changelog."));
        report.AppendLine();
        report.AppendLine("| Round | Restore from | Start → 6 tasks assigned, ms | Start → all 6 running, ms | Slowest task's `restore.duration`, ms | Changelog records applied | Records/s (applied ÷ start→running) | Records/s (applied ÷ slowest task's duration) | Process CPU, ms | Allocated, MB | Clean stop after, ms |");
        report.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            var r = run.Result;
            var sources = string.Join("/", run.Restores.Select(x => x.Source).Distinct());
            report.AppendLine(string.Create(Invariant,
                $"| {run.Round} | {run.Source} (tags: {sources}) | {run.Assigned.TotalMilliseconds:N0} | {run.Running.TotalMilliseconds:N0} | {run.Restores.Max(x => x.Seconds) * 1000:N0} | "
                + $"{r.Messages:N0} | {(r.Messages == 0 ? "–" : r.MessagesPerSecond.ToString("N0", Invariant))} | "
                + $"{(r.Messages == 0 ? "–" : (r.Messages / run.Restores.Max(x => x.Seconds)).ToString("N0", Invariant))} | {(r.End.Cpu - r.Start.Cpu).TotalMilliseconds:N0} | "
                + $"{(r.End.AllocatedBytes - r.Start.AllocatedBytes) / 1e6:N1} | {run.Stop.TotalMilliseconds:N0} |"));
        }

        report.AppendLine();
        report.AppendLine("| Restore from | Start → all 6 running, ms: median (min–max) | Ratio to changelog | Changelog records/s: median |");
        report.AppendLine("|---|---:|---:|---:|");
        var changelogMedian = Summary.Median([.. runs.Where(r => r.Source == "changelog").Select(r => r.Running.TotalMilliseconds)]);
        foreach (var source in new[] { "snapshot", "changelog" })
        {
            var mine = runs.Where(r => r.Source == source).ToList();
            var times = mine.Select(r => r.Running.TotalMilliseconds).ToList();
            var rates = mine.Where(r => r.Result.Messages > 0).Select(r => r.Result.MessagesPerSecond).ToList();
            report.AppendLine(string.Create(Invariant,
                $"| {source} | **{Summary.Median(times):N0}** ({times.Min():N0}–{times.Max():N0}) | {Summary.Median(times) / changelogMedian:N2}× | {(rates.Count == 0 ? "–" : Summary.Median(rates).ToString("N0", Invariant))} |"));
        }

        report.AppendLine();
        return report.ToString();
    }

    private static string Name(PipelineKind kind) => kind switch
    {
        PipelineKind.Baseline => "A. Baseline: plain Confluent.Kafka consume→produce loop",
        PipelineKind.PassThrough => "B. Pass-through topology (no store)",
        PipelineKind.Counting => "C. Counting topology (`CountingTopology.Build`)",
        _ => "R. Reference: one consumer reading the input, nothing produced or committed",
    };

    private static string ThreadTable(IReadOnlyList<RunResult> runs)
    {
        var kinds = new[] { PipelineKind.Baseline, PipelineKind.PassThrough, PipelineKind.Counting };
        var pooled = kinds.ToDictionary(k => k, k => runs.Where(r => r.Kind == k).ToList());
        var records = kinds.ToDictionary(k => k, k => (double)pooled[k].Sum(r => r.Result.Messages));
        var process = kinds.ToDictionary(k => k, k => pooled[k].Sum(r => (r.Result.End.Cpu - r.Result.Start.Cpu).TotalNanoseconds));
        double Group(PipelineKind kind, string group) => pooled[kind].Sum(r => (double)r.ThreadCpu.GetValueOrDefault(group));
        var groups = runs.SelectMany(r => r.ThreadCpu.Keys).Distinct(StringComparer.Ordinal)
            .Where(g => kinds.Any(k => Group(k, g) / process[k] >= 0.01))
            .OrderByDescending(g => Group(PipelineKind.Counting, g))
            .ToList();
        var table = new StringBuilder();
        table.AppendLine("| CPU by thread, ns per input record (all rounds pooled; /proc/self/task) | A | B | C |");
        table.AppendLine("|---|---:|---:|---:|");
        foreach (var group in groups)
        {
            table.AppendLine(string.Create(Invariant, $"| {group} | {string.Join(" | ", kinds.Select(k => (Group(k, group) / records[k]).ToString("N0", Invariant)))} |"));
        }

        double All(PipelineKind kind) => pooled[kind].Sum(r => (double)r.ThreadCpu.Values.Sum());
        table.AppendLine(string.Create(Invariant,
            $"| Other threads (each under 1 % of the process) | {string.Join(" | ", kinds.Select(k => ((All(k) - groups.Sum(g => Group(k, g))) / records[k]).ToString("N0", Invariant)))} |"));
        table.AppendLine(string.Create(Invariant,
            $"| All threads alive at both ends of the window (sum of the above) | {string.Join(" | ", kinds.Select(k => (All(k) / records[k]).ToString("N0", Invariant)))} |"));
        table.AppendLine(string.Create(Invariant,
            $"| **Whole process** (`Environment.CpuUsage`, its own clock) | {string.Join(" | ", kinds.Select(k => $"**{(process[k] / records[k]).ToString("N0", Invariant)}**"))} |"));
        table.AppendLine();
        return table.ToString();
    }

    /// <summary>Sampled shares by type (pooled over rounds) times each pipeline's measured allocated bytes per record.</summary>
    private static string AllocationTable(IReadOnlyList<RunResult> runs)
    {
        if (runs.Any(r => r.Allocations is null))
        {
            return string.Empty;
        }

        var kinds = new[] { PipelineKind.Baseline, PipelineKind.PassThrough, PipelineKind.Counting };
        var perRecord = new Dictionary<PipelineKind, Dictionary<string, double>>();
        foreach (var kind in kinds)
        {
            var mine = runs.Where(r => r.Kind == kind).ToList();
            var bytes = mine.SelectMany(r => r.Allocations!).GroupBy(e => e.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (double)g.Sum(e => e.Value), StringComparer.Ordinal);
            var total = Math.Max(1, bytes.Values.Sum());
            var measured = mine.Sum(r => (double)(r.Result.End.AllocatedBytes - r.Result.Start.AllocatedBytes)) / mine.Sum(r => r.Result.Messages);
            perRecord[kind] = bytes.ToDictionary(e => e.Key, e => e.Value / total * measured, StringComparer.Ordinal);
        }

        var types = kinds.SelectMany(k => perRecord[k].OrderByDescending(e => e.Value).Take(12).Select(e => e.Key)).Distinct(StringComparer.Ordinal)
            .OrderByDescending(t => perRecord[PipelineKind.Counting].GetValueOrDefault(t) + perRecord[PipelineKind.PassThrough].GetValueOrDefault(t))
            .ToList();
        var table = new StringBuilder();
        table.AppendLine("| Allocated by type, B per input record (GC allocation ticks, about one per 100 KB; all rounds pooled) | A | B | C |");
        table.AppendLine("|---|---:|---:|---:|");
        foreach (var type in types)
        {
            table.AppendLine(string.Create(Invariant, $"| `` {type} `` | {string.Join(" | ", kinds.Select(k => perRecord[k].GetValueOrDefault(type).ToString("N0", Invariant)))} |"));
        }

        table.AppendLine(string.Create(Invariant,
            $"| Other types | {string.Join(" | ", kinds.Select(k => perRecord[k].Where(e => !types.Contains(e.Key)).Sum(e => e.Value).ToString("N0", Invariant)))} |"));
        table.AppendLine();
        return table.ToString();
    }
}
