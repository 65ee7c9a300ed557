using System.Globalization;
using System.Text;
using TakerVolume.Benchmarks.Input;
using TakerVolume.Benchmarks.Pipelines;

namespace TakerVolume.Benchmarks.Latency;

/// <summary>The latency mode's Markdown tables.</summary>
internal static class LatencyReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(BenchmarkOptions options, SymbolUniverse universe, string peakSource, IReadOnlyList<(string Label, LatencyRun Run)> runs)
    {
        var report = new StringBuilder();
        report.AppendLine(string.Create(Invariant,
            $"## Latency: trade time T → the update containing the trade visible to a read_committed consumer, {universe.Symbols.Count} symbols"));
        report.AppendLine();
        report.AppendLine(string.Create(Invariant,
            $"Each run: a fresh input topic fed live for {options.LatencyWarmupSeconds} s (not measured) + {options.LatencySeconds} s (measured), T = the wall clock at production; "
            + $"{options.Duplicates:P1} copies 1–20 ms later. Commit interval {options.CommitInterval.TotalMilliseconds:N0} ms (the runtime's default; TV publishes a changed window "
            + $"at most once per commit), trailing values at most once per second per symbol (`SlidingEmitInterval`), the pipelines' consumers wait at most 50 ms per fetch, the observer 10 ms. "
            + $"The feed's producer and the observer run in the same process, on the same 2 cores; {peakSource}."));
        report.AppendLine();
        report.AppendLine("| Rate | Pipeline: output observed | Trades/s asked / produced | Trades measured | p50, ms | p90, ms | p99, ms | max, ms | All visible, s after the feed ended | Not visible after 30 s |");
        report.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (label, run) in runs)
        {
            foreach (var (output, latencies) in run.Latencies.OrderBy(l => l.Key))
            {
                report.AppendLine(string.Create(Invariant,
                    $"| {label} | {Name(run.Kind, output)} | {run.TargetRate:N0} / {run.AchievedRate:N0} | {latencies.Count:N0} | **{LatencyMode.Percentile(latencies, 0.5):N1}** | "
                    + $"{LatencyMode.Percentile(latencies, 0.9):N1} | **{LatencyMode.Percentile(latencies, 0.99):N1}** | {LatencyMode.Percentile(latencies, 1):N1} | {run.CatchUp.TotalSeconds:N2} | {run.Unseen[output]:N0} |"));
            }
        }

        report.AppendLine();
        report.AppendLine("| Rate | TV tumbling − B, p50 / p99 ms | TV tumbling ÷ B, p50 / p99 | TV outputs per trade (tumbling, sliding, normalized) | TV changelog records / bytes per trade (dedup, tumbling, sliding) |");
        report.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var label in runs.Select(r => r.Label).Distinct())
        {
            var b = runs.First(r => r.Label == label && r.Run.Kind == PipelineKind.PassThrough).Run.Latencies[OutputKind.Forwarded];
            var tv = runs.First(r => r.Label == label && r.Run.Kind == PipelineKind.TakerVolume).Run;
            var tumbling = tv.Latencies[OutputKind.Tumbling];
            var trades = (double)tv.Trades;
            report.AppendLine(string.Create(Invariant,
                $"| {label} | {LatencyMode.Percentile(tumbling, 0.5) - LatencyMode.Percentile(b, 0.5):N1} / {LatencyMode.Percentile(tumbling, 0.99) - LatencyMode.Percentile(b, 0.99):N1} | "
                + $"{LatencyMode.Percentile(tumbling, 0.5) / LatencyMode.Percentile(b, 0.5):N2}× / {LatencyMode.Percentile(tumbling, 0.99) / LatencyMode.Percentile(b, 0.99):N2}× | "
                + $"{tv.Outputs["tumbling"] / trades:N3}, {tv.Outputs["sliding"] / trades:N3}, {tv.Outputs["normalized"] / trades:N3} | "
                + $"{string.Join("; ", tv.Changelogs.Select(c => string.Create(Invariant, $"{c.Store} {c.Records / trades:N3} / {c.Bytes / trades:N0}")))} |"));
        }

        report.AppendLine();
        return report.ToString();
    }

    private static string Name(PipelineKind kind, OutputKind output) => (kind, output) switch
    {
        (PipelineKind.PassThrough, _) => "B. pass-through: the raw event forwarded",
        (_, OutputKind.Tumbling) => "TV: tumbling window value (last aggregate id ≥ the trade's)",
        _ => "TV: trailing window value (its end ≥ the trade's T)",
    };
}
