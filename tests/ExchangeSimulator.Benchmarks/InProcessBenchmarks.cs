using System.Buffers;
using System.Diagnostics;
using ExchangeSimulator.Market;
using ExchangeSimulator.Rest;
using ExchangeSimulator.Streams;
using ExchangeSimulator.WebSockets.Protocol;

namespace ExchangeSimulator.Benchmarks;

/// <summary>
/// The simulator's work without any network, on one thread: the market alone, then with each stage the
/// end-to-end path adds (ground truth, serialization by the publisher, combined-stream framing). The
/// difference between two stages is that stage's cost per message.
/// </summary>
internal static class InProcessBenchmarks
{
    /// <summary>
    /// Simulated time per <c>AdvanceTo</c>, here and in the end-to-end producer: about 1000 trades (50 ms at
    /// 20 000 trades/s), between 1 ms and 100 ms.
    /// </summary>
    public static long StepFor(double tradesPerSecond) =>
        Math.Clamp((long)(1000 * SimulatedTime.MicrosecondsPerSecond / tradesPerSecond), 1_000, 100_000);

    public static MarketOptions Market(int symbols, double tradesPerSecond) => new()
    {
        Seed = 1,
        SymbolCount = symbols,
        TradesPerSecond = tradesPerSecond,
    };

    /// <summary>
    /// Row 1: <see cref="MarketSimulator.AdvanceTo(long, IMarketListener)"/> into a listener that only counts,
    /// over at most <paramref name="simulatedSeconds"/> (after one simulated second of warm-up) or
    /// <paramref name="budget"/> of wall-clock time, whichever ends first.
    /// </summary>
    public static (Measurement Result, double SimulatedSeconds) MarketGeneration(MarketOptions options, double simulatedSeconds, TimeSpan budget)
    {
        var market = new MarketSimulator(options);
        var listener = new CountingListener();
        var now = market.StartUs + SimulatedTime.MicrosecondsPerSecond;
        market.AdvanceTo(now, listener);

        var from = now;
        var until = from + (long)(simulatedSeconds * SimulatedTime.MicrosecondsPerSecond);
        var counted = listener.Events;
        var cpu = ThreadCpu.Now();
        var start = ProcessSnapshot.Take();
        while (now < until && Stopwatch.GetElapsedTime(start.Timestamp) < budget)
        {
            now = Math.Min(until, now + (SimulatedTime.MicrosecondsPerSecond / 10));
            market.AdvanceTo(now, listener);
        }

        var end = ProcessSnapshot.Take();
        var result = new Measurement(listener.Events - counted, 0, start, end) { ThreadCpu = ThreadCpu.Now() - cpu };
        return (result, (now - from) / (double)SimulatedTime.MicrosecondsPerSecond);
    }

    /// <summary>
    /// The four stages of the producer's path, each measured for <paramref name="window"/> after <paramref name="warmup"/>,
    /// in <paramref name="rounds"/> interleaved rounds; each stage keeps its round with the least thread CPU per message
    /// (other processes of a shared machine only ever add to it).
    /// </summary>
    public static IReadOnlyList<(string Stage, Measurement Result)> Stages(MarketOptions options, TimeSpan warmup, TimeSpan window, int rounds)
    {
        var step = StepFor(options.TradesPerSecond);
        var stages = new (string Name, Func<Measurement> Run)[]
        {
            ("MarketSimulator alone (trades + depth diffs)", () =>
            {
                var market = new MarketSimulator(options);
                var listener = new CountingListener();
                return Run(step, market.StartUs, until => market.AdvanceTo(until, listener), () => (listener.Events, 0), warmup, window);
            }),
            ("+ GroundTruth (SimulatedMarket, every trade kept)", () =>
            {
                var market = SimulatedMarket.Create(options);
                return Run(step, market.NowUs, until => market.AdvanceTo(until), () => market.Read((_, truth) => (truth.TotalTradeCount + truth.TotalDepthUpdateCount, 0L)), warmup, window);
            }),
            ("+ StreamPublisher: klines, JSON serialization, hand-over to subscribers", () => RunPublisher(options, frame: false, warmup, window)),
            ("+ combined-stream framing into 64 KB buffers (write loop without socket)", () => RunPublisher(options, frame: true, warmup, window)),
        };

        // Tiered JIT and dynamic PGO settle on the whole path first, so that no stage pays for the next one's compilation.
        _ = RunPublisher(options, frame: true, warmup + window, window);
        Collect();

        var best = new Measurement?[stages.Length];
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < stages.Length; i++)
            {
                var result = stages[i].Run();
                Collect();
                if (best[i] is not { } kept || result.ThreadCpuNanosecondsPerMessage < kept.ThreadCpuNanosecondsPerMessage)
                {
                    best[i] = result;
                }
            }
        }

        return [.. stages.Select((stage, i) => (stage.Name, best[i]!))];
    }

    /// <summary>Drops what the previous stage kept (ground truth holds every trade) so that it does not slow the next.</summary>
    public static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static Measurement RunPublisher(MarketOptions options, bool frame, TimeSpan warmup, TimeSpan window)
    {
        var source = new MarketSimulator(options);
        var market = new SimulatedMarket(source, new GroundTruth(source.Symbols));
        var publisherOptions = new StreamPublisherOptions();
        var directory = new StreamDirectory(source.Symbols, source.Flavor, publisherOptions.KlineIntervals);
        var subscriber = new CountingSubscriber(directory, frame);
        var audience = new InProcessAudience(directory, subscriber);
        using var publisher = new StreamPublisher(directory, source.Flavor, source.ProvidesKlines, [audience], publisherOptions, market.Holes.IsWithheld, source.NowUs);
        return Run(StepFor(options.TradesPerSecond), source.NowUs, until => market.AdvanceTo(until, publisher), () => (subscriber.Messages, subscriber.Bytes), warmup, window);
    }

    private static Measurement Run(long stepUs, long startUs, Action<long> advanceTo, Func<(long Messages, long Bytes)> counters, TimeSpan warmup, TimeSpan window)
    {
        var now = startUs;
        var began = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(began) < warmup)
        {
            now += stepUs;
            advanceTo(now);
        }

        var (messages, bytes) = counters();
        var cpu = ThreadCpu.Now();
        var start = ProcessSnapshot.Take();
        while (Stopwatch.GetElapsedTime(start.Timestamp) < window)
        {
            now += stepUs;
            advanceTo(now);
        }

        var end = ProcessSnapshot.Take();
        var threadCpu = ThreadCpu.Now() - cpu;
        var (endMessages, endBytes) = counters();
        return new Measurement(endMessages - messages, endBytes - bytes, start, end) { ThreadCpu = threadCpu };
    }

    /// <summary>Counts events; does nothing else with them.</summary>
    private sealed class CountingListener : IMarketListener
    {
        public long Events { get; private set; }

        public void OnTrade(in AggregateTrade trade) => Events++;

        public void OnDepthUpdate(DepthUpdate update) => Events++;
    }

    /// <summary>Subscribes one subscriber to the aggTrade and depth@100ms streams of every symbol, as the clients of the end-to-end run do.</summary>
    private sealed class InProcessAudience : IStreamAudience
    {
        private readonly IStreamSubscriber[][] _subscribers;

        public InProcessAudience(StreamDirectory directory, IStreamSubscriber subscriber)
        {
            _subscribers = new IStreamSubscriber[directory.Count][];
            Array.Fill(_subscribers, []);
            var depth100 = directory.DepthVariants.ToList().FindIndex(v => v.PeriodMs == 100);
            for (var s = 0; s < directory.Symbols.Count; s++)
            {
                _subscribers[directory.AggTrade(s)] = [subscriber];
                _subscribers[directory.Depth(s, depth100)] = [subscriber];
            }
        }

        public IStreamSubscriber[] SubscribersOf(int streamId) => _subscribers[streamId];
    }

    /// <summary>
    /// Counts what it is handed, as combined-stream payload bytes (prefix + payload + <c>}</c>); when framing,
    /// also writes each message as the connection's write loop does, into a buffer emptied every 64 KB.
    /// </summary>
    private sealed class CountingSubscriber(StreamDirectory directory, bool frame) : IStreamSubscriber
    {
        private const int FlushThreshold = 64 * 1024;
        private readonly ArrayBufferWriter<byte> _output = new(2 * FlushThreshold);

        public bool Microseconds => false;

        public long Messages { get; private set; }

        public long Bytes { get; private set; }

        public void Deliver(int streamId, byte[] payload)
        {
            var prefix = directory.CombinedPrefix(streamId);
            Messages++;
            Bytes += prefix.Length + payload.Length + 1;
            if (!frame)
            {
                return;
            }

            WebSocketFrameWriter.WriteHeader(_output, WebSocketOpcode.Text, prefix.Length + payload.Length + 1L);
            _output.Write(prefix);
            _output.Write(payload);
            _output.Write("}"u8);
            if (_output.WrittenCount >= FlushThreshold)
            {
                _output.ResetWrittenCount();
            }
        }
    }
}
