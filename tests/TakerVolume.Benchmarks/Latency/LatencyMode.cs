using System.Globalization;
using TakerVolume.Benchmarks.Input;
using TakerVolume.Benchmarks.Kafka;
using TakerVolume.Benchmarks.Pipelines;
using TakerVolume.Configuration;
using TakerVolume.Topology;

namespace TakerVolume.Benchmarks.Latency;

/// <summary>One latency run: a pipeline fed live at a fixed rate, and what its observer saw.</summary>
/// <param name="Kind">The pass-through or the taker-volume topology.</param>
/// <param name="TargetRate">Trades per second asked of the feed.</param>
/// <param name="AchievedRate">Trades per second the feed produced over the measured span.</param>
/// <param name="Latencies">Milliseconds from trade time to visibility of the measured trades, by output.</param>
/// <param name="Unseen">Measured trades not visible by the end of the wait, by output.</param>
/// <param name="Changelogs">The changelogs' volume over the whole run (taker volume only).</param>
/// <param name="Trades">Trades produced in the whole run (warm-up included), copies excluded.</param>
/// <param name="Outputs">Records in each output topic at the end.</param>
/// <param name="CatchUp">From the feed's last trade to every measured trade visible (or the 30 s limit): beyond the commit interval and the trailing throttle, the pipeline fell behind.</param>
internal sealed record LatencyRun(
    PipelineKind Kind, double TargetRate, double AchievedRate, IReadOnlyDictionary<OutputKind, List<double>> Latencies, IReadOnlyDictionary<OutputKind, int> Unseen,
    IReadOnlyList<StoreCensus> Changelogs, long Trades, IReadOnlyDictionary<string, long> Outputs, TimeSpan CatchUp);

/// <summary>
/// End-to-end latency: at a realistic rate and at peak, the pass-through (B) and the taker-volume topology (TV) each get
/// a fresh input topic, fed live (<see cref="PacedFeed"/>) once all their tasks run; a read_committed observer records
/// when each trade becomes visible (<see cref="VisibilityObserver"/>). Trades of the first seconds are not measured.
/// </summary>
internal static class LatencyMode
{
    private const double DefaultReferenceRate = 20_000;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly TakerVolumeTopics Catalog = new(TradingMarket.Spot);

    public static async Task RunAsync(BenchContext context, double? takerVolumeRate)
    {
        var options = context.Options;
        var reference = takerVolumeRate ?? DefaultReferenceRate;
        var levels = new List<(string Label, double Rate)> { ("realistic", options.LatencyRate) };
        if (options.PeakRate > 0)
        {
            levels.Add(("peak (--peak-rate)", options.PeakRate));
        }
        else
        {
            levels.AddRange(options.PeakFractions.Select(f => (string.Create(Invariant, $"{f:P0} of max"), f * reference)));
        }

        var peakSource = takerVolumeRate is { } throughput
            ? string.Create(Invariant, $"\"max\" is the taker-volume topology's median throughput measured above ({throughput:N0} input records/s, input produced beforehand)")
            : string.Create(Invariant, $"\"max\" is a default of {DefaultReferenceRate:N0}/s: no throughput was measured in this run");
        var universe = SymbolUniverse.Zipf(options.Symbols, options.Zipf);
        var runs = new List<(string Label, LatencyRun Run)>();
        var order = 0;
        foreach (var (label, rate) in levels)
        {
            foreach (var kind in new[] { PipelineKind.PassThrough, PipelineKind.TakerVolume })
            {
                var run = await RunAsync(context, universe, kind, rate, ++order).ConfigureAwait(false);
                runs.Add((label, run));
                BenchContext.Progress(string.Create(Invariant,
                    $"latency {label} {kind}: {run.AchievedRate:N0} trades/s, {string.Join(", ", run.Latencies.Select(l => $"{l.Key} p50 {Percentile(l.Value, 0.5):N1} ms p99 {Percentile(l.Value, 0.99):N1} ms ({run.Unseen[l.Key]} unseen)"))}"));
            }
        }

        await Console.Out.WriteLineAsync(LatencyReport.Render(options, universe, peakSource, runs)).ConfigureAwait(false);
    }

    public static double Percentile(List<double> values, double fraction)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        return values[Math.Clamp((int)Math.Ceiling(fraction * values.Count) - 1, 0, values.Count - 1)];
    }

    private static async Task<LatencyRun> RunAsync(BenchContext context, SymbolUniverse universe, PipelineKind kind, double rate, int order)
    {
        var options = context.Options;
        var kafka = context.Kafka;
        var input = kafka.CreateTopicLike(string.Create(Invariant, $"lat{order}-aggtrade-raw"), Catalog.RawAggTrades);
        var run = context.Factory.Create(kind, input, string.Create(Invariant, $"lat{order}"));
        var topics = kind == PipelineKind.PassThrough
            ? new Dictionary<string, OutputKind>(StringComparer.Ordinal) { [run.FirstOutput] = OutputKind.Forwarded }
            : new Dictionary<string, OutputKind>(StringComparer.Ordinal) { [run.Outputs["tumbling"]] = OutputKind.Tumbling, [run.Outputs["sliding"]] = OutputKind.Sliding };
        var duration = TimeSpan.FromSeconds(options.LatencyWarmupSeconds + options.LatencySeconds);
        var log = new ProducedTrades((int)Math.Ceiling(rate * duration.TotalSeconds) + 1);
        var feed = new PacedFeed(new TradeStream(universe, context.Recording, rate, 0, seed: 3 + order), rate, options.Duplicates, log);
        LatencyRun result;
        await using (run.Pipeline.ConfigureAwait(false))
        {
            await run.Pipeline.StartAsync(context.Cancellation).ConfigureAwait(false);
            await WaitRunningAsync((RuntimePipeline)run.Pipeline, kafka.Partitions(input), context.Cancellation).ConfigureAwait(false);
            using var observer = new VisibilityObserver(kafka, topics, log, universe);
            observer.Start();
            using (var producer = new RawEventProducer(kafka.Options, "bench-live-feed"))
            {
                var feeding = feed.RunAsync(producer, input, duration, context.Cancellation);
                // The measured span starts after the warm-up seconds, from the feed's own start (set before its first await).
                var measureFrom = feed.StartedUs + (options.LatencyWarmupSeconds * 1_000_000L);
                observer.Measure(measureFrom, long.MaxValue);
                await feeding.ConfigureAwait(false);
                observer.Measure(measureFrom, feed.EndedUs + 1);
                producer.Flush();
            }

            // Trailing values are throttled to one per second per symbol; tumbling ones follow the commit interval.
            await observer.WaitAllSeenAsync(TimeSpan.FromSeconds(30), context.Cancellation).ConfigureAwait(false);
            var catchUp = TimeSpan.FromMicroseconds(WallClock.NowUs() - feed.EndedUs);
            await observer.StopAsync().ConfigureAwait(false);
            await run.Pipeline.StopAsync().ConfigureAwait(false);
            var measuredTrades = Enumerable.Range(0, log.Count).Count(i => log[i].ProducedUs >= feed.StartedUs + (options.LatencyWarmupSeconds * 1_000_000L));
            var measuredSeconds = (feed.EndedUs - feed.StartedUs) / 1e6 - options.LatencyWarmupSeconds;
            result = new LatencyRun(
                kind,
                rate,
                measuredTrades / measuredSeconds,
                observer.Latencies,
                observer.Latencies.Keys.ToDictionary(k => k, observer.Unseen),
                kind == PipelineKind.TakerVolume ? ChangelogCensus.Take(kafka, run.Changelogs) : [],
                log.Count,
                run.Outputs.ToDictionary(o => o.Key, o => kafka.EndOffsets(o.Value).Sum(), StringComparer.Ordinal),
                catchUp);
        }

        GcControl.Collect();
        return result;
    }

    private static async Task WaitRunningAsync(RuntimePipeline pipeline, int partitions, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (pipeline.Application is not { } application || application.Tasks.Count < partitions || !application.AllTasksRunning)
        {
            if (pipeline.Completion.IsCompleted || clock.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new InvalidOperationException("The pipeline did not get all its tasks running within a minute.");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }
}
