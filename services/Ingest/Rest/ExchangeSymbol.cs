namespace Ingest.Rest;

/// <summary>One symbol of <c>exchangeInfo</c>: the fields symbol discovery decides on.</summary>
/// <param name="Symbol">As Binance spells it, upper case (<c>BTCUSDT</c>).</param>
/// <param name="Status"><c>TRADING</c>, <c>BREAK</c>, <c>HALT</c>… (futures also <c>SETTLING</c>, <c>PENDING_TRADING</c>).</param>
/// <param name="BaseAsset">E.g. <c>BTC</c>.</param>
/// <param name="QuoteAsset">E.g. <c>USDT</c>.</param>
internal sealed record ExchangeSymbol(string Symbol, string Status, string BaseAsset, string QuoteAsset);
