namespace Ingest.Pipeline;

/// <summary>
/// Streams served on one URL: Spot serves everything on <c>/stream</c>; USD-M futures since 2026 serves depth
/// on <c>/public/stream</c> and trades and klines on <c>/market/stream</c>, so each family has its own shards.
/// </summary>
/// <param name="Name">For logs: <c>all</c>, <c>public</c>, <c>market</c>.</param>
/// <param name="Url">The combined-stream endpoint (streams are subscribed after connecting).</param>
/// <param name="Suffixes">Stream name suffixes per symbol, e.g. <c>@aggTrade</c>.</param>
internal sealed record StreamFamily(string Name, Uri Url, IReadOnlyList<string> Suffixes)
{
    public const string AggTrade = "@aggTrade";
    public const string Depth = "@depth@100ms";
    public const string Kline = "@kline_15m";

    public static IReadOnlyList<StreamFamily> For(Streaming.Contracts.Common.V1.Market market, MarketIngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var baseUrl = options.WebSocketUrl.ToString().TrimEnd('/') + "/";
        List<string> trades = [];
        if (options.AggTrades)
        {
            trades.Add(AggTrade);
        }

        if (options.Klines)
        {
            trades.Add(Kline);
        }

        List<string> depth = options.Depth ? [Depth] : [];
        if (market == Streaming.Contracts.Common.V1.Market.UsdmFutures)
        {
            return [.. new[] { new StreamFamily("market", new Uri(baseUrl + "market/stream"), trades), new StreamFamily("public", new Uri(baseUrl + "public/stream"), depth) }
                .Where(f => f.Suffixes.Count > 0)];
        }

        return [new StreamFamily("all", new Uri(baseUrl + "stream"), [.. trades, .. depth])];
    }

    /// <summary>This family's streams of <paramref name="symbols"/>, grouped by symbol (what the planner keeps together).</summary>
    public List<string> StreamsOf(IEnumerable<string> symbols)
    {
        var streams = new List<string>();
        foreach (var symbol in symbols)
        {
            var lower = symbol.ToLowerInvariant();
            foreach (var suffix in Suffixes)
            {
                streams.Add(lower + suffix);
            }
        }

        return streams;
    }
}
