using Confluent.Kafka;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Processing.Runtime;

namespace TakerVolumeView.Tests;

/// <summary>Builders of the records the view reads, as the processor writes them.</summary>
internal static class Records
{
    /// <summary>2024-03-01 12:00:00 UTC, a multiple of 15 minutes.</summary>
    public const long WindowStart = 1_709_294_400_000;

    public const long FifteenMinutes = 900_000;

    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(WindowStart + 300_000);

    /// <summary>The headers the processing runtime puts on every output: epoch and revision, 8-byte big-endian.</summary>
    public static Headers Versioned(long epoch, long revision) => new()
    {
        { ProcessingHeaders.Epoch, ProcessingHeaders.EncodeInt64(epoch) },
        { ProcessingHeaders.Revision, ProcessingHeaders.EncodeInt64(revision) },
    };

    public static TakerVolumeTotals Totals(string buy, string sell, long trades = 10) => new()
    {
        TakerBuyQuoteVolume = buy,
        TakerSellQuoteVolume = sell,
        TakerBuyBaseVolume = "1",
        TakerSellBaseVolume = "1",
        AggregateTradeCount = trades / 2,
        TradeCount = trades,
    };

    public static TakerVolumeWindow Window(string symbol, long start, string buy, string sell, long revision, bool final = false, long trades = 10) => new()
    {
        Symbol = symbol,
        Market = Market.Spot,
        WindowStartMs = start,
        WindowEndMs = start + FifteenMinutes,
        Totals = Totals(buy, sell, trades),
        Revision = revision,
        Final = final,
    };

    public static SlidingTakerVolume Sliding(string symbol, long end, string buy, string sell, long trades = 10) => new()
    {
        Symbol = symbol,
        Market = Market.Spot,
        WindowEndMs = end,
        WindowLengthMs = FifteenMinutes,
        Totals = Totals(buy, sell, trades),
    };

    public static LargeTradeAlert Alert(string symbol, long aggregateTradeId, long tradeTimeMs, string notional, Side side = Side.TakerBuy) => new()
    {
        Symbol = symbol,
        Market = Market.Spot,
        AggregateTradeId = aggregateTradeId,
        TradeTimeMs = tradeTimeMs,
        Price = "65000.5",
        Quantity = "2",
        QuoteNotional = notional,
        TakerSide = side,
        ThresholdQuote = "100000",
    };

    public static WindowReconciliation Reconciliation(string symbol, long start, ReconciliationOutcome outcome, string explanation = "", long revision = 1) => new()
    {
        Symbol = symbol,
        Market = Market.Spot,
        WindowStartMs = start,
        WindowEndMs = start + FifteenMinutes,
        Matches = outcome == ReconciliationOutcome.Match,
        Outcome = outcome,
        Explanation = explanation,
        WindowRevision = revision,
    };

    public static FeedGap Gap(string symbol, long first, long last, bool filled, Market market = Market.Spot) => new()
    {
        Market = market,
        Stream = symbol.ToLowerInvariant() + "@aggTrade",
        Symbol = symbol,
        Kind = FeedGapKind.AggTradeIds,
        MissingIds = new IdRange { First = first, Last = last },
        GapStartMs = WindowStart + 1000,
        GapEndMs = WindowStart + 2000,
        DetectedBy = "ingest/ingest-a-0",
        Region = "a",
        Filled = filled,
        Detail = "1011 keepalive ping timeout",
    };
}
