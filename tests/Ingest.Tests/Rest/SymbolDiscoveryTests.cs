using ExchangeSimulator.Market;
using Ingest.Rest;
using Streaming.Contracts.Common.V1;

namespace Ingest.Tests.Rest;

public sealed class SymbolDiscoveryTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Refresh_Defaults_TakesEveryTradingUsdtSymbolSortedAndChargesWeight20()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var discovery = new SymbolDiscovery(harness.CreateClient(harness.CreateBudget()), new SymbolDiscoveryOptions());

        var first = await discovery.RefreshAsync(Cancel);
        var second = await discovery.RefreshAsync(Cancel);

        var listed = harness.Exchange.Market.Symbols.Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(20, first.Symbols.Count);
        Assert.Equal(listed, first.Symbols);
        Assert.Equal(listed, first.Added);
        Assert.Empty(first.Removed);
        Assert.Equal(listed, second.Symbols);
        Assert.False(second.HasChanges);
        Assert.Equal(listed, discovery.Current);
        Assert.Equal([20, 40], harness.Handler.UsedWeights);
    }

    [Fact]
    public async Task Refresh_IncludeExcludeAndQuoteFilter_Apply()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var client = harness.CreateClient(harness.CreateBudget());

        var onlyIncluded = await new SymbolDiscovery(
            client,
            new SymbolDiscoveryOptions { QuoteAssets = ["BTC"], Include = ["ethusdt", "SOLUSDT", "NOPEUSDT"] }).RefreshAsync(Cancel);
        var excluded = await new SymbolDiscovery(
            client,
            new SymbolDiscoveryOptions { Include = ["BTCUSDT"], Exclude = ["btcusdt", "ETHUSDT"] }).RefreshAsync(Cancel);

        Assert.Equal(["ETHUSDT", "SOLUSDT"], onlyIncluded.Symbols);
        Assert.Equal(18, excluded.Symbols.Count);
        Assert.DoesNotContain("BTCUSDT", excluded.Symbols);
        Assert.DoesNotContain("ETHUSDT", excluded.Symbols);
    }

    [Fact]
    public async Task Refresh_ExchangeListsMoreThenFewer_ReportsAddedThenRemoved()
    {
        await using var small = await SimulatorHarness.StartAsync(symbolCount: 20);
        await using var large = await SimulatorHarness.StartAsync(symbolCount: 23);
        var discovery = new SymbolDiscovery(small.CreateClient(small.CreateBudget()), new SymbolDiscoveryOptions());
        var extra = large.Exchange.Market.Symbols.Skip(20).Select(s => s.Name).Order(StringComparer.Ordinal).ToList();

        var initial = await discovery.RefreshAsync(Cancel);
        small.Handler.RedirectTo = large.RestUrl;
        var listed = await discovery.RefreshAsync(Cancel);
        small.Handler.RedirectTo = null;
        var delisted = await discovery.RefreshAsync(Cancel);

        Assert.Equal(20, initial.Added.Count);
        Assert.Equal(extra, listed.Added);
        Assert.Empty(listed.Removed);
        Assert.Equal(23, listed.Symbols.Count);
        Assert.Empty(delisted.Added);
        Assert.Equal(extra, delisted.Removed);
        Assert.Equal(initial.Symbols, delisted.Symbols);
    }

    [Fact]
    public async Task Refresh_Futures_ReadsFapiExchangeInfoAtWeight1()
    {
        await using var harness = await SimulatorHarness.StartAsync(flavor: MarketFlavor.UsdmFutures);
        var discovery = new SymbolDiscovery(harness.CreateClient(harness.CreateBudget(exchangeWeightPerMinute: 2400)), new SymbolDiscoveryOptions());

        var selection = await discovery.RefreshAsync(Cancel);

        Assert.Equal(20, selection.Symbols.Count);
        Assert.Equal([1], harness.Handler.UsedWeights);
        Assert.Equal("/fapi/v1/exchangeInfo", Assert.Single(harness.Handler.Responses).Path);
    }

    [Fact]
    public void Apply_StatusQuoteIncludeExclude_DecideAndDiff()
    {
        using var http = new HttpClient();
        var budget = new RequestWeightBudget(new RequestWeightBudgetOptions(), TimeProvider.System);
        var client = new BinanceRestClient(http, new Uri("http://127.0.0.1:1/"), Market.Spot, budget);
        var discovery = new SymbolDiscovery(
            client, new SymbolDiscoveryOptions { QuoteAssets = ["USDT", "USDC"], Include = ["LUNAUSDT", "ETHBTC"], Exclude = ["XUSDT"] });

        var first = discovery.Apply(
        [
            new ExchangeSymbol("BTCUSDT", "TRADING", "BTC", "USDT"),
            new ExchangeSymbol("ETHBTC", "TRADING", "ETH", "BTC"),
            new ExchangeSymbol("BNBBUSD", "TRADING", "BNB", "BUSD"),
            new ExchangeSymbol("LUNAUSDT", "BREAK", "LUNA", "USDT"),
            new ExchangeSymbol("HALTUSDT", "HALT", "HALT", "USDT"),
            new ExchangeSymbol("XUSDT", "TRADING", "X", "USDT"),
            new ExchangeSymbol("ADAUSDC", "TRADING", "ADA", "USDC"),
            new ExchangeSymbol("BTCUSDT", "TRADING", "BTC", "USDT"),
        ]);
        var second = discovery.Apply(
        [
            new ExchangeSymbol("BTCUSDT", "TRADING", "BTC", "USDT"),
            new ExchangeSymbol("ADAUSDC", "BREAK", "ADA", "USDC"),
            new ExchangeSymbol("HALTUSDT", "TRADING", "HALT", "USDT"),
        ]);

        Assert.Equal(["ADAUSDC", "BTCUSDT", "ETHBTC", "LUNAUSDT"], first.Symbols);
        Assert.Equal(first.Symbols, first.Added);
        Assert.Equal(["BTCUSDT", "HALTUSDT"], second.Symbols);
        Assert.Equal(["HALTUSDT"], second.Added);
        Assert.Equal(["ADAUSDC", "ETHBTC", "LUNAUSDT"], second.Removed);
    }
}
