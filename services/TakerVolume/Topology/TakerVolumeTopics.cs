using Streaming.Contracts.Common.V1;
using Streaming.Topics;
using TakerVolume.Configuration;

namespace TakerVolume.Topology;

/// <summary>The catalog's topics (deploy/topics.yaml) of one market's taker-volume application.</summary>
public sealed class TakerVolumeTopics
{
    public const string FeedGaps = "binance.all.feed.gaps.v1";

    public TakerVolumeTopics(TradingMarket market)
    {
        Market = market == TradingMarket.UsdmFutures ? Streaming.Contracts.Common.V1.Market.UsdmFutures : Streaming.Contracts.Common.V1.Market.Spot;
        var m = market == TradingMarket.UsdmFutures ? "usdm" : "spot";
        ApplicationId = $"taker-volume-{m}";
        RawAggTrades = $"binance.{m}.aggtrade.raw.v1";
        RawKlines = $"binance.{m}.kline-15m.raw.v1";
        Normalized = $"binance.{m}.aggtrade.normalized.v1";
        Tumbling = $"binance.{m}.taker-volume.tumbling-15m.v1";
        Sliding = $"binance.{m}.taker-volume.sliding-15m.v1";
        Alerts = $"binance.{m}.aggtrade.alerts.v1";
        Reconciliation = $"binance.{m}.taker-volume.reconciliation.v1";
    }

    public Market Market { get; }

    public string ApplicationId { get; }

    public string RawAggTrades { get; }

    public string RawKlines { get; }

    public string Normalized { get; }

    public string Tumbling { get; }

    public string Sliding { get; }

    public string Alerts { get; }

    public string Reconciliation { get; }

    public IEnumerable<string> All =>
        [RawAggTrades, RawKlines, Normalized, Tumbling, Sliding, Alerts, Reconciliation, FeedGaps,
            $"{ApplicationId}-{TakerVolumeStores.Dedup}-changelog", $"{ApplicationId}-{TakerVolumeStores.Tumbling}-changelog", $"{ApplicationId}-{TakerVolumeStores.Sliding}-changelog"];

    /// <summary>Fails naming any topic the catalog does not declare (a typo here would write to an undeclared topic).</summary>
    public void EnsureDeclaredIn(TopicCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var missing = All.Where(topic => !catalog.TryGet(topic, out _)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"Topics not in the catalog ({catalog.SourceName}): {string.Join(", ", missing)}.");
        }
    }
}

/// <summary>The application's state stores (changelogs <c>&lt;application id&gt;-&lt;store&gt;-changelog</c>).</summary>
public static class TakerVolumeStores
{
    public const string Dedup = "dedup";
    public const string Tumbling = "tumbling";
    public const string Sliding = "sliding";
}
