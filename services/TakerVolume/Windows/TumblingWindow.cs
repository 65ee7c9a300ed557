using Streaming.Contracts;
using TakerVolume.Parsing;
using TakerVolume.Trades;

namespace TakerVolume.Windows;

/// <summary>
/// One symbol's tumbling window [start, start + size): exact totals, id range, open/high/low/close, the trade ids
/// counted, what the exchange's closed kline said, and the output revision. Open and close follow the aggregate trade
/// id, not arrival order, so a trade backfilled late still lands where the exchange put it.
/// </summary>
internal sealed class TumblingWindow
{
    /// <summary>Binance prints spot kline volumes with 8 decimals; fills are counted by product scale up to it.</summary>
    public const int MaxTrackedScale = 8;

    public VolumeTotals Totals { get; } = new();

    public long FirstAggregateId { get; set; } = -1;

    public long LastAggregateId { get; set; } = -1;

    public decimal Open { get; set; }

    public decimal High { get; set; }

    public decimal Low { get; set; }

    public decimal Close { get; set; }

    public long Revision { get; set; }

    public bool Final { get; set; }

    /// <summary>A final value was published (later values are revisions after late trades).</summary>
    public bool FinalPublished { get; set; }

    /// <summary>Changed since the last output: emitted at the next commit.</summary>
    public bool Changed { get; set; }

    public TradeIdSpans TradeIds { get; } = new();

    /// <summary>[s]: individual fills whose <c>p × q</c> has more than s decimals (the bound of the exchange's rounding at scale s).</summary>
    public long[] FillsBeyondScale { get; } = new long[MaxTrackedScale + 1];

    public long MaxTradeTimeMs { get; set; } = -1;

    /// <summary>The exchange's closed kline for this window, once received.</summary>
    public KlineFigures? Kline { get; set; }

    public const long NeverReconciled = -1;

    /// <summary>Fractional digits of the VWAP, the one figure that is rounded.</summary>
    public const int VwapDecimals = 12;

    /// <summary>The window revision last compared with the kline (<see cref="NeverReconciled"/>: not yet).</summary>
    public long ReconciledRevision { get; set; } = NeverReconciled;

    public bool HasTrades => !Totals.IsEmpty;

    public long FirstTradeId => TradeIds.Spans.Count > 0 ? TradeIds.Spans[0].First : -1;

    public long LastTradeId => TradeIds.Spans.Count > 0 ? TradeIds.Spans[^1].Last : -1;

    public bool NeedsReconciliation => Final && Kline is not null && ReconciledRevision != Revision;

    public void Add(in ParsedAggTrade trade, in TradeFigures figures)
    {
        if (!HasTrades)
        {
            Open = High = Low = Close = trade.Price;
            FirstAggregateId = LastAggregateId = trade.AggregateId;
        }
        else
        {
            if (trade.AggregateId < FirstAggregateId)
            {
                FirstAggregateId = trade.AggregateId;
                Open = trade.Price;
            }

            if (trade.AggregateId > LastAggregateId)
            {
                LastAggregateId = trade.AggregateId;
                Close = trade.Price;
            }

            High = Math.Max(High, trade.Price);
            Low = Math.Min(Low, trade.Price);
        }

        Totals.Add(figures);
        TradeIds.Add(trade.FirstTradeId, trade.LastTradeId);
        for (var scale = 0; scale < Math.Min(figures.QuoteScale, FillsBeyondScale.Length); scale++)
        {
            FillsBeyondScale[scale] += figures.TradeCount;
        }

        MaxTradeTimeMs = Math.Max(MaxTradeTimeMs, trade.TradeTimeMs);
        Changed = true;
    }

    /// <summary>Total quote volume / total base volume, rounded once, half to even, to 12 decimals (the one rounded figure).</summary>
    public decimal Vwap()
    {
        var baseVolume = Totals.BaseVolume;
        return baseVolume == 0m ? 0m : DecimalDigits.Strip(DecimalDigits.DivideRounded(Totals.QuoteVolume, baseVolume, VwapDecimals));
    }

    /// <summary>Fills whose product the exchange would have rounded at <paramref name="scale"/> decimals.</summary>
    public long FillsRoundedAt(int scale) => scale < 0 ? Totals.TradeCount : scale >= FillsBeyondScale.Length ? 0 : FillsBeyondScale[scale];

    public static string Text(decimal value) => ExactDecimal.Format(value);
}

/// <summary>The figures of an exchange kline that a window is compared on, plus its trade id range.</summary>
internal sealed record KlineFigures(
    decimal QuoteVolume, decimal TakerBuyQuoteVolume, decimal BaseVolume, decimal TakerBuyBaseVolume, long TradeCount, long FirstTradeId, long LastTradeId);
