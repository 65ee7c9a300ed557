using Google.Protobuf;
using Streaming.Contracts;
using Streaming.Processing.State;
using TakerVolume.State.V1;

namespace TakerVolume.Windows;

/// <summary>A <see cref="TumblingWindow"/> as a <c>binance.state.v1.TumblingWindowState</c> changelog value.</summary>
internal sealed class TumblingWindowSerde : IStateSerde<TumblingWindow>
{
    public static TumblingWindowSerde Instance { get; } = new();

    public byte[] Serialize(TumblingWindow value)
    {
        var state = new TumblingWindowState
        {
            TakerBuyQuote = ExactDecimal.Format(value.Totals.TakerBuyQuote),
            TakerSellQuote = ExactDecimal.Format(value.Totals.TakerSellQuote),
            TakerBuyBase = ExactDecimal.Format(value.Totals.TakerBuyBase),
            TakerSellBase = ExactDecimal.Format(value.Totals.TakerSellBase),
            AggregateTradeCount = value.Totals.AggregateTradeCount,
            TradeCount = value.Totals.TradeCount,
            FirstAggregateId = value.FirstAggregateId,
            LastAggregateId = value.LastAggregateId,
            Open = ExactDecimal.Format(value.Open),
            High = ExactDecimal.Format(value.High),
            Low = ExactDecimal.Format(value.Low),
            Close = ExactDecimal.Format(value.Close),
            Revision = value.Revision,
            Final = value.Final,
            FinalPublished = value.FinalPublished,
            Changed = value.Changed,
            MaxTradeTimeMs = value.MaxTradeTimeMs,
            ReconciledRevision = value.ReconciledRevision,
        };
        foreach (var span in value.TradeIds.Spans)
        {
            state.TradeIds.Add(new IdSpan { First = span.First, Last = span.Last });
        }

        state.FillsBeyondScale.Add(value.FillsBeyondScale);
        if (value.Kline is { } kline)
        {
            state.Kline = new KlineTotals
            {
                QuoteVolume = ExactDecimal.Format(kline.QuoteVolume),
                TakerBuyQuoteVolume = ExactDecimal.Format(kline.TakerBuyQuoteVolume),
                BaseVolume = ExactDecimal.Format(kline.BaseVolume),
                TakerBuyBaseVolume = ExactDecimal.Format(kline.TakerBuyBaseVolume),
                TradeCount = kline.TradeCount,
                FirstTradeId = kline.FirstTradeId,
                LastTradeId = kline.LastTradeId,
            };
        }

        return state.ToByteArray();
    }

    public TumblingWindow Deserialize(ReadOnlySpan<byte> bytes)
    {
        var state = TumblingWindowState.Parser.ParseFrom(bytes);
        var window = new TumblingWindow
        {
            FirstAggregateId = state.FirstAggregateId,
            LastAggregateId = state.LastAggregateId,
            Open = ExactDecimal.Parse(state.Open),
            High = ExactDecimal.Parse(state.High),
            Low = ExactDecimal.Parse(state.Low),
            Close = ExactDecimal.Parse(state.Close),
            Revision = state.Revision,
            Final = state.Final,
            FinalPublished = state.FinalPublished,
            Changed = state.Changed,
            MaxTradeTimeMs = state.MaxTradeTimeMs,
            ReconciledRevision = state.ReconciledRevision,
        };
        window.Totals.TakerBuyQuote = ExactDecimal.Parse(state.TakerBuyQuote);
        window.Totals.TakerSellQuote = ExactDecimal.Parse(state.TakerSellQuote);
        window.Totals.TakerBuyBase = ExactDecimal.Parse(state.TakerBuyBase);
        window.Totals.TakerSellBase = ExactDecimal.Parse(state.TakerSellBase);
        window.Totals.AggregateTradeCount = state.AggregateTradeCount;
        window.Totals.TradeCount = state.TradeCount;
        foreach (var span in state.TradeIds)
        {
            window.TradeIds.Add(span.First, span.Last);
        }

        for (var i = 0; i < Math.Min(state.FillsBeyondScale.Count, window.FillsBeyondScale.Length); i++)
        {
            window.FillsBeyondScale[i] = state.FillsBeyondScale[i];
        }

        if (state.Kline is { } kline)
        {
            window.Kline = new KlineFigures(
                ExactDecimal.Parse(kline.QuoteVolume),
                ExactDecimal.Parse(kline.TakerBuyQuoteVolume),
                ExactDecimal.Parse(kline.BaseVolume),
                ExactDecimal.Parse(kline.TakerBuyBaseVolume),
                kline.TradeCount,
                kline.FirstTradeId,
                kline.LastTradeId);
        }

        return window;
    }
}
