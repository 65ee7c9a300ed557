namespace Ingest.Sequencing;

/// <summary>
/// Checks that every aggregate trade id of a symbol arrives exactly once. Binance's <c>a</c> is consecutive
/// per symbol, so a jump is a loss (reconnect, dropped frame) that must be backfilled or reported, an id seen
/// before is a duplicate (a second feed, a replayed backfill), and a late id inside a known hole is a fill.
/// Holes are kept as sorted disjoint ranges, at most <c>maxOpenHolesPerSymbol</c> per symbol so a pathological
/// feed cannot exhaust memory; the oldest hole is given up (and reported) first. One instance per market
/// and consumer; not thread-safe, because the receive path is single-threaded and locks would cost every trade.
/// </summary>
public sealed class AggTradeSequencer
{
    /// <summary>Default cap on open holes per symbol.</summary>
    public const int DefaultMaxOpenHolesPerSymbol = 1024;

    private readonly Dictionary<string, SymbolSequence> _symbols = new(StringComparer.Ordinal);
    private readonly int _maxOpenHoles;

    public AggTradeSequencer(int maxOpenHolesPerSymbol = DefaultMaxOpenHolesPerSymbol)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOpenHolesPerSymbol);
        _maxOpenHoles = maxOpenHolesPerSymbol;
    }

    /// <summary>Classifies one trade and updates the symbol's state.</summary>
    public AggTradeObservation Observe(string symbol, long aggregateId, long tradeTimeMs)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (!_symbols.TryGetValue(symbol, out var state))
        {
            state = new SymbolSequence(_maxOpenHoles);
            _symbols.Add(symbol, state);
        }

        return state.Observe(aggregateId, tradeTimeMs);
    }

    /// <summary>A copy of the symbol's open holes, lowest first; empty for an unknown symbol.</summary>
    public IReadOnlyList<IdInterval> OpenHoles(string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return _symbols.TryGetValue(symbol, out var state) ? state.OpenHoles() : [];
    }

    /// <summary>
    /// Call when the symbol's connection was re-established: the next observation carries
    /// <see cref="AggTradeObservation.NeedsVerification"/>. No effect for a symbol never seen.
    /// </summary>
    public void MarkReconnected(string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (_symbols.TryGetValue(symbol, out var state))
        {
            state.PendingVerification = true;
        }
    }

    /// <summary>The highest id seen for the symbol, null if none.</summary>
    public long? LastId(string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return _symbols.TryGetValue(symbol, out var state) ? state.LastId : null;
    }
}
