using Google.Protobuf;
using Streaming.Contracts;
using Streaming.Processing.State;
using TakerVolume.State.V1;

namespace TakerVolume.Sliding;

/// <summary>A <see cref="SlidingSecond"/> as a <c>binance.state.v1.SlidingSecondState</c> changelog value.</summary>
internal sealed class SlidingSecondSerde : IStateSerde<SlidingSecond>
{
    public static SlidingSecondSerde Instance { get; } = new();

    public byte[] Serialize(SlidingSecond value)
    {
        var state = new SlidingSecondState();
        foreach (var bucket in value.Buckets)
        {
            state.Buckets.Add(new MillisecondTotals
            {
                TimeMs = bucket.TimeMs,
                TakerBuyQuote = ExactDecimal.Format(bucket.Totals.TakerBuyQuote),
                TakerSellQuote = ExactDecimal.Format(bucket.Totals.TakerSellQuote),
                TakerBuyBase = ExactDecimal.Format(bucket.Totals.TakerBuyBase),
                TakerSellBase = ExactDecimal.Format(bucket.Totals.TakerSellBase),
                AggregateTradeCount = bucket.Totals.AggregateTradeCount,
                TradeCount = bucket.Totals.TradeCount,
            });
        }

        return state.ToByteArray();
    }

    public SlidingSecond Deserialize(ReadOnlySpan<byte> bytes)
    {
        var state = SlidingSecondState.Parser.ParseFrom(bytes);
        var second = new SlidingSecond();
        foreach (var stored in state.Buckets)
        {
            var bucket = new MillisecondBucket(stored.TimeMs);
            bucket.Totals.TakerBuyQuote = ExactDecimal.Parse(stored.TakerBuyQuote);
            bucket.Totals.TakerSellQuote = ExactDecimal.Parse(stored.TakerSellQuote);
            bucket.Totals.TakerBuyBase = ExactDecimal.Parse(stored.TakerBuyBase);
            bucket.Totals.TakerSellBase = ExactDecimal.Parse(stored.TakerSellBase);
            bucket.Totals.AggregateTradeCount = stored.AggregateTradeCount;
            bucket.Totals.TradeCount = stored.TradeCount;
            second.Buckets.Add(bucket);
        }

        return second;
    }
}
