using BinanceRecordings;
using ExchangeSimulator.Market;
using PriceLevel = ExchangeSimulator.Market.PriceLevel;

namespace ExchangeSimulator.Replay;

/// <summary>
/// One symbol's recorded book: a REST snapshot, then every diff with <c>u</c> above the book's last update id,
/// applied in replay order (absolute quantities; zero removes the level). Keyed by exact decimal price rather than
/// <see cref="Market.OrderBook"/>'s integer ticks, because a recording's tick is only inferred and levels must be
/// re-printed with the scale they were recorded with.
/// </summary>
internal sealed class ReplayOrderBook
{
    private static readonly Comparer<decimal> Descending = Comparer<decimal>.Create((x, y) => y.CompareTo(x));

    private readonly SortedDictionary<decimal, PriceLevel> _bids = new(Descending);
    private readonly SortedDictionary<decimal, PriceLevel> _asks = new();

    public ReplayOrderBook(string symbol, DepthSnapshot snapshot, long availableFromUs, long transactionTimeUs)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Symbol = symbol;
        AvailableFromUs = availableFromUs;
        TransactionTimeUs = transactionTimeUs;
        LastUpdateId = snapshot.LastUpdateId;
        foreach (var level in snapshot.Bids)
        {
            Set(_bids, new PriceLevel(level.Price.Value, level.Quantity.Value));
        }

        foreach (var level in snapshot.Asks)
        {
            Set(_asks, new PriceLevel(level.Price.Value, level.Quantity.Value));
        }
    }

    public string Symbol { get; }

    /// <summary>When the snapshot describes the book: before it, the book is unknown.</summary>
    public long AvailableFromUs { get; }

    /// <summary>The snapshot's <c>lastUpdateId</c>, then the <c>u</c> of the last diff applied.</summary>
    public long LastUpdateId { get; private set; }

    /// <summary>The last applied diff's <c>T</c> (its <c>E</c> on Spot), or the snapshot's.</summary>
    public long TransactionTimeUs { get; private set; }

    /// <summary>Applies <paramref name="update"/> unless the snapshot (or an earlier diff) already holds it.</summary>
    public void Apply(DepthUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.FinalUpdateId <= LastUpdateId)
        {
            return;
        }

        foreach (var level in update.Bids)
        {
            Set(_bids, level);
        }

        foreach (var level in update.Asks)
        {
            Set(_asks, level);
        }

        LastUpdateId = update.FinalUpdateId;
        TransactionTimeUs = update.TransactionTimeUs;
    }

    /// <summary>A copy of the best <paramref name="limit"/> levels per side.</summary>
    public OrderBookSnapshot Snapshot(int limit, long nowUs) => new()
    {
        Symbol = Symbol,
        LastUpdateId = LastUpdateId,
        EventTimeUs = nowUs,
        TransactionTimeUs = TransactionTimeUs,
        Bids = [.. _bids.Values.Take(limit)],
        Asks = [.. _asks.Values.Take(limit)],
    };

    // The level keeps the price as last printed: 8.13 and 8.13000000 are one level, re-printed as recorded.
    private static void Set(SortedDictionary<decimal, PriceLevel> side, PriceLevel level)
    {
        if (level.Quantity == 0m)
        {
            side.Remove(level.Price);
        }
        else
        {
            side[level.Price] = level;
        }
    }
}
