namespace BinanceRecordings.Tests;

public sealed class CryptofeedCaptureTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(CryptofeedSession.All), MemberType = typeof(CryptofeedSession))]
    public async Task KlineUpdates_EqualTheAggTradesBetweenThem(string folder, string webSocketFile, string restFile)
    {
        var session = await CryptofeedSession.LoadAsync(folder, webSocketFile, restFile);
        var trades = session.BySymbol("aggTrade", message => message.ToAggTrade());
        var klines = session.BySymbol("kline", message => message.ToKline());
        var reconciliation = new KlineTradeReconciliation();

        foreach (var symbolKlines in klines)
        {
            var tradesOfSymbol = trades[symbolKlines.Key].DistinctBy(trade => trade.AggregateTradeId).ToList();
            foreach (var sameKline in symbolKlines.GroupBy(kline => kline.OpenTimeUs))
            {
                foreach (var (before, after) in sameKline.Zip(sameKline.Skip(1)))
                {
                    reconciliation.Check(symbolKlines.Key, before, after, tradesOfSymbol);
                }
            }
        }

        output.WriteLine($"{folder}/{webSocketFile}: {trades.Sum(g => g.Count())} aggTrades, {klines.Sum(g => g.Count())} kline updates; pairs exact {reconciliation.Exact}, within fill rounding {reconciliation.Rounded}, no new trades {reconciliation.NoNewTrades}, not covered by recorded trades {reconciliation.NotCovered}");
        Assert.Empty(reconciliation.Mismatches);
        Assert.True(reconciliation.Exact + reconciliation.Rounded > 0, "no kline update pair could be checked against the trades");
    }

    [Theory]
    [MemberData(nameof(CryptofeedSession.All), MemberType = typeof(CryptofeedSession))]
    public async Task DepthChains_AreGaplessAndBracketEverySnapshot(string folder, string webSocketFile, string restFile)
    {
        var session = await CryptofeedSession.LoadAsync(folder, webSocketFile, restFile);
        var diffs = session.BySymbol("depthUpdate", message => message.ToDepthUpdate());
        var isFutures = webSocketFile.StartsWith("BINANCE_FUTURES", StringComparison.Ordinal);

        foreach (var chain in diffs)
        {
            foreach (var (previous, next) in chain.Zip(chain.Skip(1)))
            {
                if (isFutures)
                {
                    Assert.Equal(previous.FinalUpdateId, next.PreviousFinalUpdateId);
                }
                else
                {
                    Assert.Null(next.PreviousFinalUpdateId);
                    Assert.Equal(previous.FinalUpdateId + 1, next.FirstUpdateId);
                }
            }
        }

        var snapshots = session.Rest.Where(message => message.Kind == CapturedMessageKind.DepthSnapshot).ToList();
        Assert.NotEmpty(snapshots);
        foreach (var message in snapshots)
        {
            var snapshot = message.ToDepthSnapshot();
            Assert.Contains(diffs[message.Symbol!], diff => diff.FirstUpdateId <= snapshot.LastUpdateId && snapshot.LastUpdateId <= diff.FinalUpdateId);
        }

        output.WriteLine($"{folder}/{webSocketFile}: {diffs.Count} depth chains, {diffs.Sum(g => g.Count())} diffs gapless ({(isFutures ? "pu = previous u" : "U = previous u + 1")}); {snapshots.Count} snapshots each bracketed by a diff");
    }
}
