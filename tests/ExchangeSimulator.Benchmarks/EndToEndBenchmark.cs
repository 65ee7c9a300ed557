using System.Diagnostics;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Hosting;
using ExchangeSimulator.Market;
using ExchangeSimulator.WebSockets;

namespace ExchangeSimulator.Benchmarks;

/// <summary>What the end-to-end run measured besides the client-side rate.</summary>
/// <param name="Result">Messages and payload bytes received by the clients during the window.</param>
/// <param name="ProducerBusyShare">Share of the window the producer spent inside <c>AdvanceTo</c> (one thread: at most 1).</param>
/// <param name="ProducerCpu">CPU time of the producer's thread inside <c>AdvanceTo</c> during the window (market, ground truth, publisher, hand-over).</param>
/// <param name="SimulatedSpeed">Simulated seconds per wall-clock second during the window.</param>
/// <param name="Trades">Trades generated during the window.</param>
/// <param name="DepthUpdates">Depth diffs generated during the window.</param>
/// <param name="MaxBacklog">Most messages handed to connections but not yet received, over the whole run.</param>
/// <param name="ProducerWaits">Times the producer waited for the clients to catch up during the window.</param>
/// <param name="ConnectionsAlive">Connections the simulator still served at the end of the window.</param>
/// <param name="Samples">Copies of received messages, for the baseline.</param>
internal sealed record EndToEndResult(
    Measurement Result,
    double ProducerBusyShare,
    TimeSpan ProducerCpu,
    double SimulatedSpeed,
    long Trades,
    long DepthUpdates,
    long MaxBacklog,
    long ProducerWaits,
    int ConnectionsAlive,
    IReadOnlyList<byte[]> Samples);

/// <summary>
/// The simulator as a benchmark uses it: <see cref="ExchangeSimulatorServer"/> with one spot market, ClientWebSocket
/// clients on <c>/stream</c> holding aggTrade + depth@100ms of every symbol, and a producer that advances simulated
/// time as fast as the clients keep up (at most <see cref="HighWater"/> messages in flight).
/// </summary>
internal static class EndToEndBenchmark
{
    /// <summary>Messages handed to connections and not yet received above which the producer waits.</summary>
    public const long HighWater = 65_536;

    public static async Task<EndToEndResult> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var market = InProcessBenchmarks.Market(options.Symbols, options.TradesPerSecond);
        var settings = new ExchangeSettings
        {
            Name = "spot",
            Source = new MarketSimulator(market),
            Regions = ["a"],
            Streams = StreamServerOptions.For(MarketFlavor.Spot) with
            {
                // The producer keeps the backlog far below this; a drop would invalidate the run (checked below).
                MaxQueuedMessages = 4_000_000,
                CloseHandshakeTimeout = TimeSpan.FromMilliseconds(200),
            },
        };
        await using var server = await ExchangeSimulatorServer.StartAsync([settings], cancellationToken: cancellationToken);
        var exchange = server.Exchange("spot");
        var region = exchange.Region("a");
        var symbols = exchange.Directory.Symbols;

        // Symbols dealt round-robin by rank so that the busiest ones spread over the connections.
        var receivers = new List<StreamReceiver>();
        try
        {
            for (var c = 0; c < options.Connections; c++)
            {
                var streams = symbols
                    .Where(s => s.Rank % options.Connections == c)
                    .SelectMany(s => new[] { StreamNames.AggTrade(s), StreamNames.Depth(s, 100) })
                    .ToList();
                receivers.Add(await StreamReceiver.ConnectAsync(region.WebSocketUrl, streams, cancellationToken));
            }

            var samples = new MessageSamples(8192);
            var loops = receivers.Select(r => Task.Run(() => r.RunAsync(samples), CancellationToken.None)).ToArray();
            var producer = new Producer(exchange, () => receivers.Sum(r => r.Messages), InProcessBenchmarks.StepFor(options.TradesPerSecond));
            using var stop = new CancellationTokenSource();
            var producing = Task.Run(() => producer.RunAsync(stop.Token), CancellationToken.None);

            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), cancellationToken);
            samples.Start();
            var (trades0, depth0) = exchange.Market.Read((_, truth) => (truth.TotalTradeCount, truth.TotalDepthUpdateCount));
            var producer0 = producer.Snapshot();
            var start = ProcessSnapshot.Take();
            var (messages0, bytes0) = (receivers.Sum(r => r.Messages), receivers.Sum(r => r.Bytes));

            await Task.Delay(TimeSpan.FromSeconds(options.Seconds), cancellationToken);
            var (messages1, bytes1) = (receivers.Sum(r => r.Messages), receivers.Sum(r => r.Bytes));
            var end = ProcessSnapshot.Take();
            var producer1 = producer.Snapshot();
            var (trades1, depth1) = exchange.Market.Read((_, truth) => (truth.TotalTradeCount, truth.TotalDepthUpdateCount));
            var alive = region.Region.Connections().Count;

            await stop.CancelAsync();
            await producing;
            foreach (var receiver in receivers)
            {
                receiver.Abort();
            }

            await Task.WhenAll(loops);
            var result = new Measurement(messages1 - messages0, bytes1 - bytes0, start, end);
            return new EndToEndResult(
                result,
                Stopwatch.GetElapsedTime(producer0.BusyTicks, producer1.BusyTicks).TotalSeconds / result.Seconds,
                TimeSpan.FromTicks(producer1.CpuTicks - producer0.CpuTicks),
                (producer1.NowUs - producer0.NowUs) / (double)SimulatedTime.MicrosecondsPerSecond / result.Seconds,
                trades1 - trades0,
                depth1 - depth0,
                producer1.MaxBacklog,
                producer1.Waits - producer0.Waits,
                alive,
                samples.ToList());
        }
        finally
        {
            foreach (var receiver in receivers)
            {
                receiver.Dispose();
            }
        }
    }

    /// <summary>Advances the exchange in fixed simulated steps, back to back, pausing 1 ms while the clients are more than <see cref="HighWater"/> behind.</summary>
    private sealed class Producer(SimulatedExchange exchange, Func<long> received, long stepUs)
    {
        private readonly Lock _lock = new();
        private State _state = new(0, 0, exchange.Market.NowUs, 0, 0);

        public State Snapshot()
        {
            lock (_lock)
            {
                return _state;
            }
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var state = Snapshot();
            while (!cancellationToken.IsCancellationRequested)
            {
                var backlog = exchange.DeliveredCount - received();
                state = state with { MaxBacklog = Math.Max(state.MaxBacklog, backlog) };
                if (backlog > HighWater)
                {
                    state = state with { Waits = state.Waits + 1 };
                    Publish(state);
                    await Task.Delay(1, CancellationToken.None);
                    continue;
                }

                var began = Stopwatch.GetTimestamp();
                var cpu = ThreadCpu.Now();
                var until = state.NowUs + stepUs;
                exchange.AdvanceTo(until);
                state = state with
                {
                    BusyTicks = state.BusyTicks + (Stopwatch.GetTimestamp() - began),
                    CpuTicks = state.CpuTicks + (ThreadCpu.Now() - cpu).Ticks,
                    NowUs = until,
                };
                Publish(state);
            }
        }

        private void Publish(State state)
        {
            lock (_lock)
            {
                _state = state;
            }
        }

        /// <param name="BusyTicks">Stopwatch ticks spent inside <c>AdvanceTo</c>.</param>
        /// <param name="CpuTicks">Thread CPU time spent inside <c>AdvanceTo</c>, in <see cref="TimeSpan"/> ticks.</param>
        /// <param name="NowUs">Simulated time reached.</param>
        /// <param name="MaxBacklog">Largest backlog seen.</param>
        /// <param name="Waits">Pauses for the clients.</param>
        public readonly record struct State(long BusyTicks, long CpuTicks, long NowUs, long MaxBacklog, long Waits);
    }
}
