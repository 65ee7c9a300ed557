using Streaming.Contracts.Common.V1;

namespace Ingest.Publishing;

/// <summary>
/// The raw topics of the catalog (deploy/topics.yaml): one per market for aggregate trades and for 15-minute
/// klines, and one per market and collector region for depth, because the merger needs both regions' feeds apart.
/// </summary>
internal sealed class RawTopics(string region)
{
    public const string FeedGaps = "binance.all.feed.gaps.v1";

    private readonly string _spotDepth = $"binance.spot.depth.raw-{region}.v1";
    private readonly string _usdmDepth = $"binance.usdm.depth.raw-{region}.v1";

    public static string AggTrades(Market market) => market == Market.UsdmFutures ? "binance.usdm.aggtrade.raw.v1" : "binance.spot.aggtrade.raw.v1";

    public static string Klines(Market market) => market == Market.UsdmFutures ? "binance.usdm.kline-15m.raw.v1" : "binance.spot.kline-15m.raw.v1";

    public string Depth(Market market) => market == Market.UsdmFutures ? _usdmDepth : _spotDepth;
}
