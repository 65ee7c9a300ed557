namespace ExchangeSimulator.Market;

/// <summary>Where a symbol stands on the exchange; changed at runtime through the control API.</summary>
public enum ListingStatus
{
    /// <summary>Not listed yet: absent from <c>exchangeInfo</c>, REST answers -1121 "Invalid symbol.", its streams are silent.</summary>
    Unlisted,

    /// <summary>Listed and trading: <c>exchangeInfo</c> status <c>TRADING</c>, trades and streams flow.</summary>
    Trading,

    /// <summary>
    /// Delisted: still in <c>exchangeInfo</c> (Spot status <c>BREAK</c>, USD-M futures <c>SETTLING</c>), REST still serves its
    /// history, nothing trades, its streams stay subscribable but silent.
    /// </summary>
    Delisted,
}

/// <summary>
/// The listing status of every symbol of one market. Changed only through <c>Rest.SimulatedMarket.SetListing</c>
/// (under the market's lock, between two advances, so a change takes effect at a definite simulated time);
/// read from any thread without a lock (REST handlers, the control API, the publisher's thread).
/// </summary>
public sealed class SymbolListings
{
    private readonly Dictionary<string, int> _index;
    private readonly int[] _statuses;
    private int _notTrading;

    public SymbolListings(IReadOnlyList<SymbolSpec> symbols, MarketFlavor flavor)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        Symbols = symbols;
        Flavor = flavor;
        _index = new Dictionary<string, int>(symbols.Count, StringComparer.Ordinal);
        for (var i = 0; i < symbols.Count; i++)
        {
            _index.Add(symbols[i].Name, i);
        }

        _statuses = new int[symbols.Count];
        Array.Fill(_statuses, (int)ListingStatus.Trading);
    }

    public IReadOnlyList<SymbolSpec> Symbols { get; }

    public MarketFlavor Flavor { get; }

    /// <summary>True while every symbol trades (the common case: nothing to filter).</summary>
    public bool AllTrading => Volatile.Read(ref _notTrading) == 0;

    /// <summary>The status of <paramref name="symbol"/>, or false when the market has no such symbol.</summary>
    public bool TryGet(string symbol, out ListingStatus status)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (_index.TryGetValue(symbol, out var i))
        {
            status = (ListingStatus)Volatile.Read(ref _statuses[i]);
            return true;
        }

        status = default;
        return false;
    }

    /// <exception cref="KeyNotFoundException">No such symbol.</exception>
    public ListingStatus Get(string symbol) =>
        TryGet(symbol, out var status) ? status : throw new KeyNotFoundException($"No symbol '{symbol}'.");

    /// <summary>Whether <paramref name="symbol"/> trades now (false for a name the market does not have).</summary>
    public bool IsTrading(string symbol) => TryGet(symbol, out var status) && status == ListingStatus.Trading;

    /// <summary>Every symbol with its status, in the market's order (most traded first).</summary>
    public IReadOnlyList<(SymbolSpec Symbol, ListingStatus Status)> Snapshot()
    {
        var result = new (SymbolSpec, ListingStatus)[Symbols.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (Symbols[i], (ListingStatus)Volatile.Read(ref _statuses[i]));
        }

        return result;
    }

    /// <summary>
    /// The <c>status</c> Binance prints in <c>exchangeInfo</c>, or null when the symbol is not there at all. Spot marks a
    /// delisted pair <c>BREAK</c>; USD-M futures a delisted perpetual <c>SETTLING</c> (README: Symbol listings).
    /// </summary>
    public string? ExchangeInfoStatus(ListingStatus status) => status switch
    {
        ListingStatus.Trading => "TRADING",
        ListingStatus.Delisted => Flavor == MarketFlavor.UsdmFutures ? "SETTLING" : "BREAK",
        _ => null,
    };

    /// <summary>Sets the status; the caller holds the market's lock and has stopped or resumed the source.</summary>
    internal void Set(string symbol, ListingStatus status)
    {
        var i = _index[symbol];
        var before = (ListingStatus)_statuses[i];
        if (before == status)
        {
            return;
        }

        Volatile.Write(ref _statuses[i], (int)status);
        if (before == ListingStatus.Trading)
        {
            Interlocked.Increment(ref _notTrading);
        }
        else if (status == ListingStatus.Trading)
        {
            Interlocked.Decrement(ref _notTrading);
        }
    }
}
