using Streaming.Contracts.Raw.V1;
using TakerVolume.Benchmarks.Input;
using TakerVolume.Benchmarks.Kafka;

namespace TakerVolume.Benchmarks.Latency;

/// <summary>
/// A live feed at a fixed rate: every millisecond or so (the timer's resolution) the trades due by the elapsed time are
/// produced, each with trade time and event time set to the wall clock at production and received by the ingest pod
/// then; a share of them is published again by the redundant pod 1–20 ms later (not measured). Runs until the
/// duration has passed.
/// </summary>
internal sealed class PacedFeed(TradeStream trades, double rate, double duplicateRate, ProducedTrades log)
{
    private readonly RawEventFactory _events = new(trades.Universe);
    private readonly Random _random = new(11);
    private readonly Queue<(long DueUs, RawEvent Event)> _copies = new();

    /// <summary>Wall-clock µs when the first trade was produced.</summary>
    public long StartedUs { get; private set; }

    /// <summary>Wall-clock µs when the last trade was produced.</summary>
    public long EndedUs { get; private set; }

    public async Task RunAsync(RawEventProducer producer, string topic, TimeSpan duration, CancellationToken cancellationToken)
    {
        var total = Math.Min(log.Capacity, (long)(rate * duration.TotalSeconds));
        StartedUs = WallClock.NowUs();
        long sent = 0;
        while (sent < total)
        {
            var now = WallClock.NowUs();
            var due = Math.Min(total, (long)((now - StartedUs) / 1e6 * rate) + 1);
            for (; sent < due; sent++)
            {
                now = WallClock.NowUs();
                var trade = trades.NextAt(now);
                var raw = _events.Create(trade, now / 1000, now);
                log.Add(new ProducedTrade(trade.Symbol, trade.AggregateId, now / 1000, now));
                producer.Produce(topic, raw);
                if (_random.NextDouble() < duplicateRate)
                {
                    var laterUs = _random.Next(1_000, 20_000);
                    _copies.Enqueue((now + laterUs, _events.CopyOf(raw, laterUs)));
                }
            }

            while (_copies.TryPeek(out var copy) && copy.DueUs <= now)
            {
                producer.Produce(topic, _copies.Dequeue().Event);
            }

            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }

        EndedUs = WallClock.NowUs();
        while (_copies.TryDequeue(out var copy))
        {
            producer.Produce(topic, copy.Event);
        }
    }
}
