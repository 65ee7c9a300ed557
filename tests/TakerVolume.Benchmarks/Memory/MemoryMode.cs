using System.Globalization;
using TakerVolume.Benchmarks.Input;
using TakerVolume.Benchmarks.Kafka;
using TakerVolume.Benchmarks.Pipelines;
using TakerVolume.Configuration;
using TakerVolume.Topology;

namespace TakerVolume.Benchmarks.Memory;

/// <summary>The state of one market at one point of its feed.</summary>
/// <param name="Minutes">Exchange time fed so far.</param>
/// <param name="Trades">Unique trades fed so far.</param>
/// <param name="HeapDelta">Live managed heap with the taker-volume instance running, minus before it started (full compacting collections).</param>
/// <param name="Stores">The stores' changelogs: volume written so far, live state by symbol.</param>
/// <param name="TradesBySymbol">Unique trades fed so far, per symbol.</param>
internal sealed record MemoryPoint(double Minutes, long Trades, long HeapDelta, IReadOnlyList<StoreCensus> Stores, IReadOnlyDictionary<string, long> TradesBySymbol);

/// <summary>One market measured by the memory mode.</summary>
/// <param name="Label">busiest-only, or the Zipf market's size.</param>
/// <param name="Universe">Its symbols and shares.</param>
/// <param name="Rate">Trades per second of exchange time, all symbols.</param>
/// <param name="PassThroughHeapDelta">The same measurement for the pass-through over the same input: the runtime and its clients without state.</param>
/// <param name="Points">After the configured minutes (and, for the busiest-only market, half as long again).</param>
internal sealed record MemoryMarket(string Label, SymbolUniverse Universe, double Rate, long PassThroughHeapDelta, IReadOnlyList<MemoryPoint> Points);

/// <summary>
/// Memory per symbol: markets of Zipf-distributed symbols whose busiest trades at BTCUSDT's rate (100 and 1,000
/// symbols: the first 100 are the same symbols at the same rates in both, so the difference is 900 tail symbols), and a
/// market of busiest symbols only, each fed 15+ minutes of exchange time in one go. Measured with the instance still
/// running after it drained its input: the live managed heap against the same measurement of the pass-through over the
/// same input, and the stores' state read back from their changelogs.
/// </summary>
internal static class MemoryMode
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly TakerVolumeTopics Catalog = new(TradingMarket.Spot);

    public static async Task RunAsync(BenchContext context)
    {
        var options = context.Options;
        var markets = new List<MemoryMarket>();
        var hot = SymbolUniverse.Uniform(options.MemoryHot);
        markets.Add(await MeasureAsync(context, "busiest only", hot, options.BusiestRate * options.MemoryHot, [options.MemoryMinutes, options.MemoryMinutes * 1.5]).ConfigureAwait(false));
        foreach (var count in options.MemorySymbols)
        {
            var universe = SymbolUniverse.Zipf(count, options.Zipf);
            var label = string.Create(Invariant, $"{count:N0} symbols");
            markets.Add(await MeasureAsync(context, label, universe, options.BusiestRate / universe.TopShare, [options.MemoryMinutes]).ConfigureAwait(false));
        }

        await Console.Out.WriteLineAsync(MemoryReport.Render(options, markets)).ConfigureAwait(false);
    }

    private static async Task<MemoryMarket> MeasureAsync(BenchContext context, string label, SymbolUniverse universe, double rate, IReadOnlyList<double> minutes)
    {
        var kafka = context.Kafka;
        var name = "mem-" + Guid.NewGuid().ToString("N")[..6];
        var input = kafka.CreateTopicLike(name + "-aggtrade-raw", Catalog.RawAggTrades);
        var feed = new RawFeed(new TradeStream(universe, context.Recording, rate, BenchContext.InputStartUs, seed: 5), context.Options.Duplicates, seed: 5);
        void Feed(double upToMinutes)
        {
            using var producer = new RawEventProducer(kafka.Options, "bench-memory-input");
            producer.ProduceAll(input, feed.TakeUntil(BenchContext.InputStartUs + (long)(upToMinutes * 60e6)));
        }

        BenchContext.Progress(string.Create(Invariant, $"memory {label}: producing {minutes[0]} minutes of exchange time at {rate:N0} trades/s..."));
        Feed(minutes[0]);
        var ends = kafka.EndOffsets(input);

        // The pass-through over the same input: the runtime, its clients and buffers, no state.
        long passThrough;
        var b = context.Factory.Create(PipelineKind.PassThrough, input, name + "b");
        await using (b.Pipeline.ConfigureAwait(false))
        {
            var before = await SettledLiveBytesAsync(context.Cancellation).ConfigureAwait(false);
            BenchContext.Progress(string.Create(Invariant, $"memory {label}: live heap before the pass-through {before / 1e6:N1} MB"));
            await PipelineDriver.DrainAsync(kafka, context.Meter, b, ends, context.Cancellation).ConfigureAwait(false);
            passThrough = GcControl.LiveBytes() - before;
            await b.Pipeline.StopAsync().ConfigureAwait(false);
        }

        GcControl.Collect();
        var points = new List<MemoryPoint>();
        var tv = context.Factory.Create(PipelineKind.TakerVolume, input, name + "tv");
        await using (tv.Pipeline.ConfigureAwait(false))
        {
            var before = await SettledLiveBytesAsync(context.Cancellation).ConfigureAwait(false);
            BenchContext.Progress(string.Create(Invariant, $"memory {label}: live heap before the taker-volume instance {before / 1e6:N1} MB"));
            var drain = await PipelineDriver.DrainAsync(kafka, context.Meter, tv, ends, context.Cancellation).ConfigureAwait(false);
            BenchContext.Progress(string.Create(Invariant, $"memory {label}: drained at {drain.Result.MessagesPerSecond:N0} records/s"));
            points.Add(await PointAsync(context, tv, minutes[0], feed.Expected, before).ConfigureAwait(false));
            foreach (var more in minutes.Skip(1))
            {
                Feed(more);
                await WaitDrainedAsync(kafka, tv, kafka.EndOffsets(input), context.Cancellation).ConfigureAwait(false);
                points.Add(await PointAsync(context, tv, more, feed.Expected, before).ConfigureAwait(false));
            }

            await tv.Pipeline.StopAsync().ConfigureAwait(false);
        }

        GcControl.Collect();
        var market = new MemoryMarket(label, universe, rate, passThrough, points);
        var last = points[^1];
        BenchContext.Progress(string.Create(Invariant,
            $"memory {label}: heap Δ {last.HeapDelta / 1e6:N1} MB (pass-through {passThrough / 1e6:N1} MB), state {last.Stores.Sum(s => s.LiveBytes) / 1e6:N1} MB serialized"));
        return market;
    }

    /// <summary>After one more commit (windows flushed), the live heap and the stores' state.</summary>
    private static async Task<MemoryPoint> PointAsync(BenchContext context, PipelineRun run, double minutes, ExpectedWindows fed, long heapBefore)
    {
        await Task.Delay(context.Options.CommitInterval * 2, context.Cancellation).ConfigureAwait(false);
        var heap = GcControl.LiveBytes() - heapBefore;
        return new MemoryPoint(minutes, fed.Trades, heap, ChangelogCensus.Take(context.Kafka, run.Changelogs), new Dictionary<string, long>(fed.BySymbol, StringComparer.Ordinal));
    }

    /// <summary>
    /// The live heap once it stopped shrinking: objects of an earlier mode (Kafka clients, timers) can stay reachable a
    /// little after their owner is gone; readings 250 ms apart until two agree within 64 KB (at most 5 s).
    /// </summary>
    private static async Task<long> SettledLiveBytesAsync(CancellationToken cancellationToken)
    {
        var previous = GcControl.LiveBytes();
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            var current = GcControl.LiveBytes();
            if (Math.Abs(current - previous) < 65_536)
            {
                return current;
            }

            previous = current;
        }

        return previous;
    }

    private static async Task WaitDrainedAsync(BenchKafka kafka, PipelineRun run, long[] ends, CancellationToken cancellationToken)
    {
        using var probe = kafka.Probe(run.Pipeline.GroupId, run.Input, ends, run.FirstOutput);
        var began = System.Diagnostics.Stopwatch.GetTimestamp();
        while (!probe.Drained())
        {
            await PipelineDriver.WaitAsync(run.Pipeline, began, 25, cancellationToken).ConfigureAwait(false);
        }
    }
}
