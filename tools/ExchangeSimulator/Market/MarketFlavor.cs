namespace ExchangeSimulator.Market;

/// <summary>Which Binance market is simulated; it decides number formats and the depth fields <c>pu</c>/<c>T</c>.</summary>
public enum MarketFlavor
{
    /// <summary>Spot (<c>stream.binance.com</c>): every price and quantity printed with 8 decimals.</summary>
    Spot = 1,

    /// <summary>USD-M futures (<c>fstream.binance.com</c>): symbol precision, depth carries <c>pu</c> and <c>T</c>.</summary>
    UsdmFutures = 2,
}
