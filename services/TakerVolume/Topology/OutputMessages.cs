using Streaming.Contracts;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Market.V1;
using Streaming.Contracts.Ops.V1;
using TakerVolume.Parsing;
using TakerVolume.Reconciliation;
using TakerVolume.Trades;
using TakerVolume.Windows;

namespace TakerVolume.Topology;

/// <summary>Builds the contracts the processor publishes from its state.</summary>
internal static class OutputMessages
{
    public static AggTrade Normalized(string symbol, Market market, in ParsedAggTrade trade, Source source)
    {
        var message = new AggTrade
        {
            Symbol = symbol,
            Market = market,
            AggregateTradeId = trade.AggregateId,
            Price = ExactDecimal.Format(trade.Price),
            Quantity = ExactDecimal.Format(trade.Quantity),
            FirstTradeId = trade.FirstTradeId,
            LastTradeId = trade.LastTradeId,
            TradeTimeMs = trade.TradeTimeMs,
            BuyerIsMaker = trade.BuyerIsMaker,
            EventTimeMs = trade.EventTimeMs >= 0 ? trade.EventTimeMs : trade.TradeTimeMs,
            Source = source,
        };
        if (trade.TradeTimeUs >= 0)
        {
            message.TradeTimeUs = trade.TradeTimeUs;
        }

        return message;
    }

    public static TakerVolumeWindow Window(string symbol, Market market, long startMs, long sizeMs, TumblingWindow window, long nowUs) => new()
    {
        Symbol = symbol,
        Market = market,
        WindowStartMs = startMs,
        WindowEndMs = startMs + sizeMs,
        Totals = window.Totals.ToContract(),
        FirstAggregateTradeId = window.FirstAggregateId,
        LastAggregateTradeId = window.LastAggregateId,
        FirstTradeId = window.FirstTradeId,
        LastTradeId = window.LastTradeId,
        Open = ExactDecimal.Format(window.Open),
        High = ExactDecimal.Format(window.High),
        Low = ExactDecimal.Format(window.Low),
        Close = ExactDecimal.Format(window.Close),
        Vwap = ExactDecimal.Format(window.Vwap()),
        Revision = window.Revision,
        Final = window.Final,
        ComputedAtUs = nowUs,
    };

    public static SlidingTakerVolume Sliding(string symbol, Market market, long endMs, long lengthMs, VolumeTotals totals, long nowUs) => new()
    {
        Symbol = symbol,
        Market = market,
        WindowEndMs = endMs,
        WindowLengthMs = lengthMs,
        Totals = totals.ToContract(),
        ComputedAtUs = nowUs,
    };

    public static LargeTradeAlert LargeTrade(string symbol, Market market, in ParsedAggTrade trade, in TradeFigures figures, decimal threshold, long nowUs) => new()
    {
        Symbol = symbol,
        Market = market,
        AggregateTradeId = trade.AggregateId,
        TradeTimeMs = trade.TradeTimeMs,
        Price = ExactDecimal.Format(trade.Price),
        Quantity = ExactDecimal.Format(trade.Quantity),
        QuoteNotional = ExactDecimal.Format(DecimalDigits.Strip(figures.Quote)),
        TakerSide = figures.IsTakerBuy ? Side.TakerBuy : Side.TakerSell,
        ThresholdQuote = ExactDecimal.Format(threshold),
        DetectedAtUs = nowUs,
        Kind = AlertKind.LargeTrade,
    };

    public static LargeTradeAlert Trailing(string symbol, Market market, in ParsedAggTrade trade, bool takerBuy, decimal total, decimal threshold, long lengthMs, long nowUs) => new()
    {
        Symbol = symbol,
        Market = market,
        AggregateTradeId = trade.AggregateId,
        TradeTimeMs = trade.TradeTimeMs,
        Price = ExactDecimal.Format(trade.Price),
        Quantity = ExactDecimal.Format(trade.Quantity),
        QuoteNotional = ExactDecimal.Format(DecimalDigits.Strip(total)),
        TakerSide = takerBuy ? Side.TakerBuy : Side.TakerSell,
        ThresholdQuote = ExactDecimal.Format(threshold),
        DetectedAtUs = nowUs,
        Kind = AlertKind.TrailingVolume,
        WindowLengthMs = lengthMs,
    };

    public static WindowReconciliation Reconciliation(string symbol, Market market, long startMs, long sizeMs, TumblingWindow window, Windows.KlineFigures kline, KlineComparison comparison, long nowUs)
    {
        var computed = Figures(window.Totals.QuoteVolume, window.Totals.TakerBuyQuote, window.Totals.BaseVolume, window.Totals.TakerBuyBase, window.Totals.TradeCount);
        var exchange = Figures(kline.QuoteVolume, kline.TakerBuyQuoteVolume, kline.BaseVolume, kline.TakerBuyBaseVolume, kline.TradeCount);
        var difference = Figures(
            window.Totals.QuoteVolume - kline.QuoteVolume,
            window.Totals.TakerBuyQuote - kline.TakerBuyQuoteVolume,
            window.Totals.BaseVolume - kline.BaseVolume,
            window.Totals.TakerBuyBase - kline.TakerBuyBaseVolume,
            window.Totals.TradeCount - kline.TradeCount);
        var record = new WindowReconciliation
        {
            Symbol = symbol,
            Market = market,
            WindowStartMs = startMs,
            WindowEndMs = startMs + sizeMs,
            Computed = computed,
            Exchange = exchange,
            Matches = comparison.Outcome == KlineOutcome.Match,
            Difference = difference,
            Explanation = comparison.Explanation,
            WindowRevision = window.Revision,
            ReconciledAtUs = nowUs,
            Outcome = comparison.Outcome switch
            {
                KlineOutcome.Match => ReconciliationOutcome.Match,
                KlineOutcome.ExchangeRounding => ReconciliationOutcome.ExchangeRounding,
                KlineOutcome.MissingTrades => ReconciliationOutcome.MissingTrades,
                KlineOutcome.IncompleteStart => ReconciliationOutcome.IncompleteStart,
                _ => ReconciliationOutcome.Mismatch,
            },
        };
        foreach (var range in comparison.MissingTradeIds)
        {
            record.MissingTradeIds.Add(new Streaming.Contracts.Common.V1.IdRange { First = range.First, Last = range.Last });
        }

        return record;
    }

    public static FeedGap Gap(string symbol, Market market, string detectedBy, Streaming.Processing.Idempotence.IdRange? missing, long startMs, long endMs, bool filled, string detail, long nowUs)
    {
        var gap = new FeedGap
        {
            Market = market,
            Stream = $"{symbol.ToLowerInvariant()}@aggTrade",
            Symbol = symbol,
            Kind = FeedGapKind.AggTradeIds,
            GapStartMs = startMs,
            GapEndMs = endMs,
            DetectedBy = detectedBy,
            Filled = filled,
            DetectedAtUs = nowUs,
            Detail = detail,
        };
        if (missing is { } range)
        {
            gap.MissingIds = new Streaming.Contracts.Common.V1.IdRange { First = range.First, Last = range.Last };
        }

        return gap;
    }

    private static Streaming.Contracts.Analytics.V1.KlineFigures Figures(decimal quote, decimal takerQuote, decimal baseVolume, decimal takerBase, long count) => new()
    {
        QuoteVolume = ExactDecimal.Format(DecimalDigits.Strip(quote)),
        TakerBuyQuoteVolume = ExactDecimal.Format(DecimalDigits.Strip(takerQuote)),
        BaseVolume = ExactDecimal.Format(DecimalDigits.Strip(baseVolume)),
        TakerBuyBaseVolume = ExactDecimal.Format(DecimalDigits.Strip(takerBase)),
        TradeCount = count,
    };
}
