using ExchangeSimulator.Market;

namespace ExchangeSimulator.Rest;

/// <summary>
/// Request weights and limits per flavor. Spot: <c>shared/BINANCE.md</c> 1.4 (aggTrades 4, depth 5/25/50/250
/// by limit tier up to 5000, klines 2 with at most 1000 rows) and Binance's Spot REST reference (exchangeInfo 20).
/// USD-M futures, from Binance's USD-M "Market Data Endpoints" reference (not re-checked in BINANCE.md):
/// exchangeInfo 1, aggTrades 20, depth 2/5/10/20 for limits up to 50/100/500/1000 (default 500; the
/// simulator accepts any limit in 1..1000, Binance lists 5, 10, 20, 50, 100, 500, 1000), klines
/// 1/2/5/10 for limits below 100/500, up to 1000, above 1000 (max 1500).
/// </summary>
internal sealed record RestRules(
    int ExchangeInfoWeight,
    int AggTradesWeight,
    int AggTradesMaxLimit,
    int DepthDefaultLimit,
    int DepthMaxLimit,
    int KlinesMaxLimit,
    bool Futures)
{
    private static readonly Dictionary<string, KlineInterval> Intervals = new[]
    {
        new KlineInterval("1s", SimulatedTime.MicrosecondsPerSecond),
        KlineInterval.OneMinute,
        new KlineInterval("3m", 3 * SimulatedTime.MicrosecondsPerMinute),
        KlineInterval.FiveMinutes,
        KlineInterval.FifteenMinutes,
        new KlineInterval("30m", 30 * SimulatedTime.MicrosecondsPerMinute),
        KlineInterval.OneHour,
        new KlineInterval("2h", 120 * SimulatedTime.MicrosecondsPerMinute),
        new KlineInterval("4h", 240 * SimulatedTime.MicrosecondsPerMinute),
        new KlineInterval("6h", 360 * SimulatedTime.MicrosecondsPerMinute),
        new KlineInterval("8h", 480 * SimulatedTime.MicrosecondsPerMinute),
        new KlineInterval("12h", 720 * SimulatedTime.MicrosecondsPerMinute),
        new KlineInterval("1d", 1440 * SimulatedTime.MicrosecondsPerMinute),
    }.ToDictionary(i => i.Name, StringComparer.Ordinal);

    public static RestRules For(MarketFlavor flavor) => flavor == MarketFlavor.UsdmFutures
        ? new RestRules(ExchangeInfoWeight: 1, AggTradesWeight: 20, AggTradesMaxLimit: 1000, DepthDefaultLimit: 500, DepthMaxLimit: 1000, KlinesMaxLimit: 1500, Futures: true)
        : new RestRules(ExchangeInfoWeight: 20, AggTradesWeight: 4, AggTradesMaxLimit: 1000, DepthDefaultLimit: 100, DepthMaxLimit: 5000, KlinesMaxLimit: 1000, Futures: false);

    /// <summary>Epoch-aligned intervals only: <c>1w</c> (Monday-aligned) and <c>1M</c> (calendar months) are not served.</summary>
    public static bool TryParseInterval(string name, out KlineInterval interval) => Intervals.TryGetValue(name, out interval);

    public int DepthWeight(int limit) => Futures
        ? limit switch { <= 50 => 2, <= 100 => 5, <= 500 => 10, _ => 20 }
        : limit switch { <= 100 => 5, <= 500 => 25, <= 1000 => 50, _ => 250 };

    public int KlinesWeight(int limit) => Futures
        ? limit switch { < 100 => 1, < 500 => 2, <= 1000 => 5, _ => 10 }
        : 2;
}
