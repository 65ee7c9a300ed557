namespace TakerVolume.Configuration;

/// <summary>The options resolved once for the hot path: lengths in milliseconds, thresholds looked up per symbol.</summary>
internal sealed class TakerVolumeSettings
{
    private readonly HashSet<string> _symbols;
    private readonly string[] _quoteAssets;
    private readonly AlertOptions _alerts;

    public TakerVolumeSettings(TakerVolumeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        WindowSizeMs = (long)options.WindowSize.TotalMilliseconds;
        GraceMs = (long)options.Grace.TotalMilliseconds;
        RetentionMs = (long)options.WindowRetention.TotalMilliseconds;
        SlidingMs = (long)options.SlidingWindow.TotalMilliseconds;
        SlidingEmitInterval = options.SlidingEmitInterval;
        HoleTimeoutMs = (long)options.HoleTimeout.TotalMilliseconds;
        MaxHolesPerSymbol = options.MaxHolesPerSymbol;
        _symbols = new HashSet<string>(options.Symbols, StringComparer.Ordinal);
        _quoteAssets = [.. options.EffectiveQuoteAssets];
        _alerts = options.Alerts;
        ReconcilesWithKlines = options.WindowSize == TimeSpan.FromMinutes(15);
    }

    public long WindowSizeMs { get; }

    public long GraceMs { get; }

    public long RetentionMs { get; }

    public long SlidingMs { get; }

    public TimeSpan SlidingEmitInterval { get; }

    public long HoleTimeoutMs { get; }

    public int MaxHolesPerSymbol { get; }

    /// <summary>Klines are 15-minute: other window sizes have nothing to be compared with.</summary>
    public bool ReconcilesWithKlines { get; }

    public bool Counts(string symbol)
    {
        if (_symbols.Count > 0)
        {
            return _symbols.Contains(symbol);
        }

        foreach (var asset in _quoteAssets)
        {
            if (asset == "*" || (symbol.Length > asset.Length && symbol.EndsWith(asset, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    public long WindowStart(long timeMs) => timeMs - (((timeMs % WindowSizeMs) + WindowSizeMs) % WindowSizeMs);

    public decimal LargeTradeThreshold(string symbol) =>
        _alerts.LargeTradeQuoteBySymbol.TryGetValue(symbol, out var threshold) ? threshold : _alerts.LargeTradeQuote;

    public decimal? TrailingBuyThreshold(string symbol) =>
        _alerts.TrailingTakerBuyQuoteBySymbol.TryGetValue(symbol, out var threshold) ? threshold : _alerts.TrailingTakerBuyQuote;

    public decimal? TrailingSellThreshold(string symbol) =>
        _alerts.TrailingTakerSellQuoteBySymbol.TryGetValue(symbol, out var threshold) ? threshold : _alerts.TrailingTakerSellQuote;
}
