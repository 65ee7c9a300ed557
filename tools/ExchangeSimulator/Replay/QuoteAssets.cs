namespace ExchangeSimulator.Replay;

/// <summary>
/// Splits a recorded symbol into base and quote asset. A recording names only the symbol (<c>XMRBTC</c>), so the
/// quote is recognised by a known suffix: Binance's quote assets, stablecoins and crypto first, then the fiat
/// quotes the vendored recordings hold (<c>BUSDTRY</c>, <c>ADARUB</c>). Longer suffixes are tried first so
/// <c>BTCFDUSD</c> quotes FDUSD.
/// </summary>
internal static class QuoteAssets
{
    private static readonly string[] Known =
    [
        "FDUSD",
        "USDT", "USDC", "TUSD", "BUSD", "BIDR",
        "BTC", "ETH", "BNB", "TRY", "EUR", "GBP", "RUB", "BRL", "AUD", "UAH", "DAI",
    ];

    /// <summary>The base and quote of <paramref name="symbol"/>; an unknown quote gives the whole name as base and an empty quote.</summary>
    public static (string BaseAsset, string QuoteAsset) Split(string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        foreach (var quote in Known)
        {
            if (symbol.Length > quote.Length && symbol.EndsWith(quote, StringComparison.Ordinal))
            {
                return (symbol[..^quote.Length], quote);
            }
        }

        return (symbol, string.Empty);
    }
}
