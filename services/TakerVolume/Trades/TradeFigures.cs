using Streaming.Contracts;
using TakerVolume.Parsing;

namespace TakerVolume.Trades;

/// <summary>
/// What one aggregate trade adds to a window: its quote volume <c>p × q</c> (exact), base volume <c>q</c>, the side the
/// taker was on (<c>m == false</c>: the taker bought) and the individual trades it aggregates (<c>l − f + 1</c>).
/// </summary>
internal readonly record struct TradeFigures(decimal Quote, decimal Base, bool IsTakerBuy, long TradeCount, int QuoteScale)
{
    /// <exception cref="OverflowException">p × q has more digits than a decimal holds exactly.</exception>
    public static TradeFigures Of(in ParsedAggTrade trade)
    {
        var quote = ExactDecimal.Multiply(trade.Price, trade.Quantity);
        return new TradeFigures(quote, trade.Quantity, !trade.BuyerIsMaker, trade.TradeCount, DecimalDigits.SignificantScale(quote));
    }
}
