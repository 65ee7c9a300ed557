using Streaming.Contracts.Raw.V1;

namespace TakerVolume.Benchmarks.Input;

/// <summary>
/// The raw input of a run in production order: the market's trades in exchange-time order, each received 2 ms after
/// its trade time by the primary pod, and for a share of them (<c>duplicateRate</c>) a copy from the redundant pod
/// 1–64 records later, as two ingest pods on the same streams publish them. Keeps the oracle of the unique trades.
/// </summary>
internal sealed class RawFeed(TradeStream trades, double duplicateRate, int seed)
{
    private readonly Random _random = new(seed);
    private readonly RawEventFactory _events = new(trades.Universe);
    private readonly List<(long Due, RawEvent Event)> _copies = [];
    private long _produced;

    public ExpectedWindows Expected { get; } = new();

    /// <summary>Copies produced so far (the processor counts each as a duplicate).</summary>
    public long Copies { get; private set; }

    /// <summary>Exchange time (µs) of the newest trade so far.</summary>
    public long LastTimeUs { get; private set; }

    /// <summary>The next <paramref name="count"/> unique trades and the copies due among them; the copies still pending at the end follow.</summary>
    public IEnumerable<RawEvent> Take(long count) => Take(count, long.MaxValue);

    /// <summary>The trades before exchange time <paramref name="endUs"/> (µs), with their copies.</summary>
    public IEnumerable<RawEvent> TakeUntil(long endUs) => Take(long.MaxValue, endUs);

    private IEnumerable<RawEvent> Take(long count, long endUs)
    {
        for (long i = 0; i < count && trades.NextTimeUs < endUs; i++)
        {
            foreach (var copy in DueCopies(_produced))
            {
                yield return copy;
            }

            var trade = trades.Next();
            var original = _events.Create(trade, (trade.TimeUs / 1000) + 1, trade.TimeUs + 2_000);
            Expected.Add(original.Symbol, trade);
            LastTimeUs = trade.TimeUs;
            _produced++;
            yield return original;
            if (_random.NextDouble() < duplicateRate)
            {
                _copies.Add((_produced + _random.Next(1, 65), _events.CopyOf(original, _random.Next(1_000, 20_000))));
            }
        }

        foreach (var copy in DueCopies(long.MaxValue))
        {
            yield return copy;
        }
    }

    private List<RawEvent> DueCopies(long position)
    {
        var due = new List<RawEvent>();
        for (var i = 0; i < _copies.Count; i++)
        {
            if (_copies[i].Due <= position)
            {
                due.Add(_copies[i].Event);
                _copies.RemoveAt(i--);
            }
        }

        Copies += due.Count;
        return due;
    }
}
