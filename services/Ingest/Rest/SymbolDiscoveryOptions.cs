namespace Ingest.Rest;

/// <summary>
/// Which of the exchange's symbols the pod ingests. Names compare case-insensitively (configuration tends to carry
/// the lower-case stream spelling, <c>btcusdt</c>); results use the exchange's spelling.
/// </summary>
internal sealed record SymbolDiscoveryOptions
{
    /// <summary>Quote assets whose <c>TRADING</c> symbols are taken: USDT by default (the pipeline computes USDT volumes).</summary>
    public IReadOnlyCollection<string> QuoteAssets { get; init; } = ["USDT"];

    /// <summary>
    /// Symbols always taken when the exchange lists them, whatever their quote asset or status: a symbol an operator
    /// names explicitly should not vanish because of a filter (a <c>BREAK</c> symbol simply carries no trades).
    /// </summary>
    public IReadOnlyCollection<string> Include { get; init; } = [];

    /// <summary>Symbols never taken; wins over <see cref="Include"/>, since removing a symbol is the stronger intent.</summary>
    public IReadOnlyCollection<string> Exclude { get; init; } = [];

    /// <summary>The status a symbol needs to be taken by the quote filter: Binance's <c>TRADING</c>.</summary>
    public string TradingStatus { get; init; } = "TRADING";
}
