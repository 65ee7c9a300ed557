using Streaming.Contracts;
using Streaming.Contracts.Analytics.V1;
using TakerVolume.Trades;

namespace TakerVolume.Windows;

/// <summary>
/// Exact taker buy and sell volumes and trade counts over a set of trades, changed one trade at a time in both
/// directions (a trailing window subtracts what leaves it), never re-summed. Sums throw rather than round.
/// </summary>
internal sealed class VolumeTotals
{
    public decimal TakerBuyQuote { get; set; }

    public decimal TakerSellQuote { get; set; }

    public decimal TakerBuyBase { get; set; }

    public decimal TakerSellBase { get; set; }

    public long AggregateTradeCount { get; set; }

    public long TradeCount { get; set; }

    public bool IsEmpty => AggregateTradeCount == 0;

    public decimal QuoteVolume => ExactDecimal.Add(TakerBuyQuote, TakerSellQuote);

    public decimal BaseVolume => ExactDecimal.Add(TakerBuyBase, TakerSellBase);

    public void Add(in TradeFigures trade)
    {
        if (trade.IsTakerBuy)
        {
            TakerBuyQuote = ExactDecimal.Add(TakerBuyQuote, trade.Quote);
            TakerBuyBase = ExactDecimal.Add(TakerBuyBase, trade.Base);
        }
        else
        {
            TakerSellQuote = ExactDecimal.Add(TakerSellQuote, trade.Quote);
            TakerSellBase = ExactDecimal.Add(TakerSellBase, trade.Base);
        }

        AggregateTradeCount++;
        TradeCount += trade.TradeCount;
    }

    public void Add(VolumeTotals other)
    {
        TakerBuyQuote = ExactDecimal.Add(TakerBuyQuote, other.TakerBuyQuote);
        TakerSellQuote = ExactDecimal.Add(TakerSellQuote, other.TakerSellQuote);
        TakerBuyBase = ExactDecimal.Add(TakerBuyBase, other.TakerBuyBase);
        TakerSellBase = ExactDecimal.Add(TakerSellBase, other.TakerSellBase);
        AggregateTradeCount += other.AggregateTradeCount;
        TradeCount += other.TradeCount;
    }

    public void Subtract(VolumeTotals other)
    {
        TakerBuyQuote = ExactDecimal.Add(TakerBuyQuote, -other.TakerBuyQuote);
        TakerSellQuote = ExactDecimal.Add(TakerSellQuote, -other.TakerSellQuote);
        TakerBuyBase = ExactDecimal.Add(TakerBuyBase, -other.TakerBuyBase);
        TakerSellBase = ExactDecimal.Add(TakerSellBase, -other.TakerSellBase);
        AggregateTradeCount -= other.AggregateTradeCount;
        TradeCount -= other.TradeCount;
        if (AggregateTradeCount == 0)
        {
            // Nothing left: a clean zero, not "0.0000000000000000" with the scale of what was subtracted.
            TakerBuyQuote = TakerSellQuote = TakerBuyBase = TakerSellBase = 0m;
        }
    }

    public TakerVolumeTotals ToContract() => new()
    {
        TakerBuyQuoteVolume = ExactDecimal.Format(DecimalDigits.Strip(TakerBuyQuote)),
        TakerSellQuoteVolume = ExactDecimal.Format(DecimalDigits.Strip(TakerSellQuote)),
        TakerBuyBaseVolume = ExactDecimal.Format(DecimalDigits.Strip(TakerBuyBase)),
        TakerSellBaseVolume = ExactDecimal.Format(DecimalDigits.Strip(TakerSellBase)),
        AggregateTradeCount = AggregateTradeCount,
        TradeCount = TradeCount,
    };
}
