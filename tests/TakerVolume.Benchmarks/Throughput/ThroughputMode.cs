using System.Diagnostics;
using System.Globalization;
using TakerVolume.Benchmarks.Kafka;
using TakerVolume.Benchmarks.Input;
using TakerVolume.Benchmarks.Pipelines;
using TakerVolume.Configuration;
using TakerVolume.Topology;

namespace TakerVolume.Benchmarks.Throughput;

/// <summary>
/// The raw aggTrade input produced once; each round, the plain loop (A), the runtime's pass-through (B) and the
/// taker-volume topology (TV) drain it, each with a fresh group and fresh outputs; then, once, the processor as its
/// program builds it. Every taker-volume run's published windows are compared with the oracle.
/// </summary>
internal static class ThroughputMode
{
    private static readonly PipelineKind[] Kinds = [PipelineKind.Baseline, PipelineKind.PassThrough, PipelineKind.TakerVolume];
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Runs the mode, prints its tables; returns the median taker-volume input rate (records/s) for the latency mode's peak.</summary>
    public static async Task<double> RunAsync(BenchContext context)
    {
        var options = context.Options;
        var kafka = context.Kafka;
        var universe = SymbolUniverse.Zipf(options.Symbols, options.Zipf);
        var catalog = new TakerVolumeTopics(TradingMarket.Spot);

        BenchContext.Progress(string.Create(Invariant, $"Producing {options.WarmupTrades:N0} warm-up and {options.Trades:N0} input trades ({options.Symbols} symbols, {options.StreamRate:N0} trades/s of exchange time, {options.Duplicates:P1} copies)..."));
        var warmupInput = kafka.CreateTopicLike("tv-warmup-aggtrade-raw", catalog.RawAggTrades);
        var warmupFeed = new RawFeed(new TradeStream(universe, context.Recording, options.StreamRate, BenchContext.InputStartUs - 86_400_000_000L, seed: 2), options.Duplicates, seed: 2);
        Produce(kafka, warmupInput, warmupFeed.Take(options.WarmupTrades));
        var input = catalog.RawAggTrades;
        var feed = new RawFeed(new TradeStream(universe, context.Recording, options.StreamRate, BenchContext.InputStartUs, seed: 1), options.Duplicates, seed: 1);
        var produce = Stopwatch.StartNew();
        var produced = Produce(kafka, input, feed.Take(options.Trades));
        BenchContext.Progress(string.Create(Invariant, $"Input: {produced:N0} raw events ({feed.Copies:N0} copies) in {produce.Elapsed.TotalSeconds:N1} s"));
        var warmupEnds = kafka.EndOffsets(warmupInput);
        var inputEnds = kafka.EndOffsets(input);
        if (inputEnds.Sum() != produced)
        {
            throw new InvalidOperationException($"The broker holds {inputEnds.Sum()} input records, {produced} were produced.");
        }

        foreach (var kind in Kinds)
        {
            var warm = await RunAsync(context, kind, 0, warmupInput, warmupEnds, expected: null).ConfigureAwait(false);
            BenchContext.Progress(string.Create(Invariant, $"warm-up {kind}: {warm.Result.MessagesPerSecond:N0} records/s"));
        }

        var runs = new List<ThroughputRun>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var kind in Kinds)
            {
                var run = await RunAsync(context, kind, round, input, inputEnds, feed.Expected).ConfigureAwait(false);
                runs.Add(run);
                BenchContext.Progress(string.Create(Invariant,
                    $"round {round} {kind}: {run.Result.MessagesPerSecond:N0} records/s, {run.Result.CpuMicrosecondsPerMessage:N2} µs CPU/record, {run.Result.AllocatedBytesPerMessage:N0} B/record{Verdict(run)}"));
            }
        }

        if (options.Host)
        {
            var host = await RunAsync(context, PipelineKind.TakerVolumeHost, options.Rounds, input, inputEnds, feed.Expected).ConfigureAwait(false);
            runs.Add(host);
            BenchContext.Progress(string.Create(Invariant, $"host: {host.Result.MessagesPerSecond:N0} records/s, {host.Result.CpuMicrosecondsPerMessage:N2} µs CPU/record{Verdict(host)}"));
        }

        await Console.Out.WriteLineAsync(ThroughputReport.Render(options, universe, feed, runs)).ConfigureAwait(false);
        return Summary.Median([.. runs.Where(r => r.Kind == PipelineKind.TakerVolume).Select(r => r.Result.MessagesPerSecond)]);
    }

    private static string Verdict(ThroughputRun run) =>
        run.Check is null ? string.Empty : run.Check.Count == 0 ? ", results exact" : $", RESULTS DIFFER: {run.Check[0]}";

    private static long Produce(BenchKafka kafka, string topic, IEnumerable<Streaming.Contracts.Raw.V1.RawEvent> events)
    {
        using var producer = new RawEventProducer(kafka.Options, "bench-input");
        return producer.ProduceAll(topic, events);
    }

    private static async Task<ThroughputRun> RunAsync(BenchContext context, PipelineKind kind, int round, string input, long[] inputEnds, ExpectedWindows? expected)
    {
        var label = kind switch
        {
            PipelineKind.Baseline => "a",
            PipelineKind.PassThrough => "b",
            _ => "tv",
        } + round.ToString(Invariant);
        var run = context.Factory.Create(kind, input, label);
        DrainMeasurement drain;
        TimeSpan stop;
        await using (run.Pipeline.ConfigureAwait(false))
        {
            drain = await PipelineDriver.DrainAsync(context.Kafka, context.Meter, run, inputEnds, context.Cancellation, round > 0 ? context.Allocations : null).ConfigureAwait(false);
            var stopping = Stopwatch.GetTimestamp();
            await run.Pipeline.StopAsync().ConfigureAwait(false);
            stop = Stopwatch.GetElapsedTime(stopping);
        }

        var outputs = run.Outputs.ToDictionary(o => o.Key, o => context.Kafka.EndOffsets(o.Value).Sum(), StringComparer.Ordinal);
        IReadOnlyList<StoreCensus> changelogs = [];
        IReadOnlyList<string>? check = null;
        if (kind is PipelineKind.TakerVolume or PipelineKind.TakerVolumeHost && round > 0)
        {
            changelogs = ChangelogCensus.Take(context.Kafka, run.Changelogs);
            check = expected?.Compare(PublishedWindows.Read(context.Kafka, run.Outputs["tumbling"]));
        }

        GcControl.Collect();
        return new ThroughputRun(kind, round, drain, outputs, changelogs, check, stop);
    }
}
