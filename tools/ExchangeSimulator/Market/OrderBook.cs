namespace ExchangeSimulator.Market;

/// <summary>
/// One symbol's book in integer ticks (price) and steps (quantity), with its update-id counter and
/// the levels changed since the last published diff event.
/// </summary>
internal sealed class OrderBook
{
    private static readonly Comparer<long> Descending = Comparer<long>.Create((x, y) => y.CompareTo(x));

    private readonly SortedDictionary<long, long> _bids = new(Descending);
    private readonly SortedDictionary<long, long> _asks = new();

    // Final quantity per changed level since the last diff event, ascending price as Binance prints them.
    private readonly SortedDictionary<long, long> _changedBids = new();
    private readonly SortedDictionary<long, long> _changedAsks = new();

    public OrderBook(long lastUpdateId)
    {
        LastUpdateId = lastUpdateId;
        LastPublishedUpdateId = lastUpdateId;
    }

    /// <summary>Id of the last change applied; every change takes the next id.</summary>
    public long LastUpdateId { get; private set; }

    /// <summary><c>u</c> of the last diff event published.</summary>
    public long LastPublishedUpdateId { get; private set; }

    public long LastChangeUs { get; private set; }

    public bool HasUnpublishedChanges => LastUpdateId != LastPublishedUpdateId;

    public int Count(bool bid) => Side(bid).Count;

    /// <summary>Initial state, before update ids start: no change is recorded.</summary>
    public void Seed(bool bid, long priceTicks, long quantitySteps) => Side(bid)[priceTicks] = quantitySteps;

    /// <summary>Sets a level to an absolute quantity (0 removes it) as one book update.</summary>
    public void Set(bool bid, long priceTicks, long quantitySteps, long timeUs)
    {
        if (quantitySteps == 0)
        {
            Side(bid).Remove(priceTicks);
        }
        else
        {
            Side(bid)[priceTicks] = quantitySteps;
        }

        (bid ? _changedBids : _changedAsks)[priceTicks] = quantitySteps;
        LastUpdateId++;
        LastChangeUs = timeUs;
    }

    public bool TryGetBest(bool bid, out long priceTicks, out long quantitySteps) => TryGetLevel(bid, 0, out priceTicks, out quantitySteps);

    /// <summary>The level <paramref name="depth"/> places from the best (0 = best).</summary>
    public bool TryGetLevel(bool bid, int depth, out long priceTicks, out long quantitySteps)
    {
        foreach (var (price, quantity) in Side(bid))
        {
            if (depth-- == 0)
            {
                (priceTicks, quantitySteps) = (price, quantity);
                return true;
            }
        }

        (priceTicks, quantitySteps) = (0, 0);
        return false;
    }

    public long Quantity(bool bid, long priceTicks) => Side(bid).GetValueOrDefault(priceTicks);

    /// <summary>The farthest level from the top (lowest bid, highest ask).</summary>
    public long WorstPrice(bool bid) => bid ? _bids.Keys.Last() : _asks.Keys.Last();

    /// <summary>Levels from the best, at most <paramref name="limit"/>.</summary>
    public IEnumerable<KeyValuePair<long, long>> Top(bool bid, int limit) => Side(bid).Take(limit);

    /// <summary>The changed levels of the next diff event, then marks them published.</summary>
    public (long FirstUpdateId, long PreviousFinalUpdateId, KeyValuePair<long, long>[] Bids, KeyValuePair<long, long>[] Asks) TakeChanges()
    {
        var result = (LastPublishedUpdateId + 1, LastPublishedUpdateId, _changedBids.ToArray(), _changedAsks.ToArray());
        _changedBids.Clear();
        _changedAsks.Clear();
        LastPublishedUpdateId = LastUpdateId;
        return result;
    }

    private SortedDictionary<long, long> Side(bool bid) => bid ? _bids : _asks;
}
