namespace Ingest.Rest;

/// <summary>
/// Decides from <c>exchangeInfo</c> which symbols to ingest (status <c>TRADING</c> with a configured quote asset,
/// plus the include list, minus the exclude list) and remembers the previous answer, so each refresh also says
/// which symbols were added and removed: Binance lists and delists symbols while the pods run, and a pod must follow
/// without a restart. Thread-safe; refreshes are expected one at a time (a periodic loop), and a failed refresh
/// leaves the previous selection in place.
/// </summary>
internal sealed class SymbolDiscovery
{
    private readonly BinanceRestClient _client;
    private readonly HashSet<string> _quoteAssets;
    private readonly HashSet<string> _include;
    private readonly HashSet<string> _exclude;
    private readonly string _tradingStatus;
    private readonly Lock _lock = new();
    private IReadOnlyList<string> _current = [];

    public SymbolDiscovery(BinanceRestClient client, SymbolDiscoveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _quoteAssets = new HashSet<string>(options.QuoteAssets, StringComparer.OrdinalIgnoreCase);
        _include = new HashSet<string>(options.Include, StringComparer.OrdinalIgnoreCase);
        _exclude = new HashSet<string>(options.Exclude, StringComparer.OrdinalIgnoreCase);
        _tradingStatus = options.TradingStatus;
    }

    /// <summary>The selection of the last successful refresh (empty before the first).</summary>
    public IReadOnlyList<string> Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>Reads <c>exchangeInfo</c> (weight 20 on Spot, 1 on futures) and applies it.</summary>
    public async Task<SymbolSelection> RefreshAsync(CancellationToken cancellationToken)
    {
        var listed = await _client.GetExchangeInfoAsync(cancellationToken).ConfigureAwait(false);
        return Apply(listed);
    }

    /// <summary>Selects from <paramref name="listed"/> and diffs against the previous selection, which it then replaces.</summary>
    public SymbolSelection Apply(IReadOnlyList<ExchangeSymbol> listed)
    {
        var selected = Select(listed);
        lock (_lock)
        {
            var previous = _current;
            _current = selected;
            return new SymbolSelection(selected, Except(selected, previous), Except(previous, selected));
        }
    }

    /// <summary>The symbols of <paramref name="listed"/> to ingest, sorted ordinally, each once.</summary>
    public IReadOnlyList<string> Select(IReadOnlyList<ExchangeSymbol> listed)
    {
        ArgumentNullException.ThrowIfNull(listed);
        var selected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var symbol in listed)
        {
            if (_exclude.Contains(symbol.Symbol))
            {
                continue;
            }

            var byFilter = string.Equals(symbol.Status, _tradingStatus, StringComparison.OrdinalIgnoreCase)
                && _quoteAssets.Contains(symbol.QuoteAsset);
            if (byFilter || _include.Contains(symbol.Symbol))
            {
                selected.Add(symbol.Symbol);
            }
        }

        return [.. selected];
    }

    private static string[] Except(IReadOnlyList<string> from, IReadOnlyList<string> without)
    {
        var remove = new HashSet<string>(without, StringComparer.Ordinal);
        return [.. from.Where(s => !remove.Contains(s))];
    }
}
