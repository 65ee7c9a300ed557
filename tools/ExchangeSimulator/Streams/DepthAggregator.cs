using ExchangeSimulator.Market;

namespace ExchangeSimulator.Streams;

/// <summary>
/// Merges one symbol's consecutive 100 ms diffs into a slower stream's diff (<c>@depth</c> at 1000 ms on
/// Spot, 250/500 ms on futures): <c>U</c> and <c>pu</c> of the first, <c>u</c> and <c>T</c> of the last, and the
/// last quantity of every level touched, so a book applying the merged diff ends where one applying
/// every 100 ms diff does.
/// </summary>
internal sealed class DepthAggregator(string symbol)
{
    private readonly SortedDictionary<decimal, decimal> _bids = [];
    private readonly SortedDictionary<decimal, decimal> _asks = [];
    private long _firstUpdateId = -1;
    private long _previousFinalUpdateId;
    private long _finalUpdateId;
    private long _transactionTimeUs;

    public bool IsEmpty => _firstUpdateId < 0;

    public void Add(DepthUpdate update)
    {
        if (_firstUpdateId < 0)
        {
            _firstUpdateId = update.FirstUpdateId;
            _previousFinalUpdateId = update.PreviousFinalUpdateId;
        }

        _finalUpdateId = update.FinalUpdateId;
        _transactionTimeUs = update.TransactionTimeUs;
        foreach (var level in update.Bids)
        {
            _bids[level.Price] = level.Quantity;
        }

        foreach (var level in update.Asks)
        {
            _asks[level.Price] = level.Quantity;
        }
    }

    /// <summary>The merged diff, published at <paramref name="eventTimeUs"/>; empties the aggregator.</summary>
    public DepthUpdate Take(long eventTimeUs)
    {
        var merged = new DepthUpdate
        {
            Symbol = symbol,
            FirstUpdateId = _firstUpdateId,
            FinalUpdateId = _finalUpdateId,
            PreviousFinalUpdateId = _previousFinalUpdateId,
            EventTimeUs = eventTimeUs,
            TransactionTimeUs = _transactionTimeUs,
            Bids = Levels(_bids),
            Asks = Levels(_asks),
        };
        _bids.Clear();
        _asks.Clear();
        _firstUpdateId = -1;
        return merged;
    }

    private static PriceLevel[] Levels(SortedDictionary<decimal, decimal> levels)
    {
        var result = new PriceLevel[levels.Count];
        var i = 0;
        foreach (var (price, quantity) in levels)
        {
            result[i++] = new PriceLevel(price, quantity);
        }

        return result;
    }
}
