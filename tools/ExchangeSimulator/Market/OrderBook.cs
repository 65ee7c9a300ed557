namespace ExchangeSimulator.Market;

/// <summary>
/// One symbol's book in integer ticks (price) and steps (quantity), with its update-id counter and
/// the levels changed since the last published diff event. Sides are sorted arrays (SortedList): a
/// side holds at most a few hundred levels, so an insert's copy is cheaper than a tree's allocations,
/// and the n-th level or the worst one is an index away.
/// </summary>
internal sealed class OrderBook
{
    private static readonly Comparer<long> Descending = Comparer<long>.Create((x, y) => y.CompareTo(x));

    private readonly SortedList<long, long> _bids = new(Descending);
    private readonly SortedList<long, long> _asks = new();

    // Final quantity per changed level since the last diff event, ascending price as Binance prints them.
    private readonly SortedList<long, long> _changedBids = new();
    private readonly SortedList<long, long> _changedAsks = new();

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
        var side = Side(bid);
        if (depth < side.Count)
        {
            (priceTicks, quantitySteps) = (side.Keys[depth], side.Values[depth]);
            return true;
        }

        (priceTicks, quantitySteps) = (0, 0);
        return false;
    }

    public long Quantity(bool bid, long priceTicks) => Side(bid).TryGetValue(priceTicks, out var quantity) ? quantity : 0;

    /// <summary>The farthest level from the top (lowest bid, highest ask).</summary>
    public long WorstPrice(bool bid) => Side(bid).Keys[^1];

    /// <summary>Levels from the best, at most <paramref name="limit"/>.</summary>
    public IEnumerable<KeyValuePair<long, long>> Top(bool bid, int limit)
    {
        var side = Side(bid);
        for (var i = 0; i < Math.Min(limit, side.Count); i++)
        {
            yield return new KeyValuePair<long, long>(side.Keys[i], side.Values[i]);
        }
    }

    /// <summary>The changed levels of the next diff event, then marks them published.</summary>
    public (long FirstUpdateId, long PreviousFinalUpdateId, KeyValuePair<long, long>[] Bids, KeyValuePair<long, long>[] Asks) TakeChanges()
    {
        var result = (LastPublishedUpdateId + 1, LastPublishedUpdateId, Levels(_changedBids), Levels(_changedAsks));
        _changedBids.Clear();
        _changedAsks.Clear();
        LastPublishedUpdateId = LastUpdateId;
        return result;
    }

    private SortedList<long, long> Side(bool bid) => bid ? _bids : _asks;

    private static KeyValuePair<long, long>[] Levels(SortedList<long, long> levels)
    {
        var result = new KeyValuePair<long, long>[levels.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new KeyValuePair<long, long>(levels.Keys[i], levels.Values[i]);
        }

        return result;
    }
}
