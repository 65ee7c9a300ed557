using System.Buffers;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Market;
using ExchangeSimulator.Rest;
using ExchangeSimulator.Tests.WebSockets;

namespace ExchangeSimulator.Tests;

/// <summary>
/// Symbols listed and delisted while the exchange runs: exchangeInfo, REST, streams and the ground truth follow,
/// and every symbol that trades the whole time produces the same bytes as without the changes.
/// </summary>
public sealed class ListingTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void ListingChanges_LeaveEverySymbolTradingThroughoutByteIdentical_AndPauseOnlyTheirOwn()
    {
        var options = Markets.Small(seed: 7);
        var (_, baseline) = Markets.Run(options, 10 * Minute);

        // ETHUSDT is listed four minutes in; SOLUSDT is delisted at two minutes and listed again at six.
        var market = SimulatedMarket.Create(options, unlisted: ["ETHUSDT"]);
        var events = new RecordingListener();
        var startUs = SimulatedTime.ToMicroseconds(options.Start);
        market.AdvanceTo(options.Start + (2 * Minute), events);
        var delistedAt = market.SetListing("SOLUSDT", ListingStatus.Delisted);
        market.AdvanceTo(options.Start + (4 * Minute), events);
        var listedAt = market.SetListing("ETHUSDT", ListingStatus.Trading);
        market.AdvanceTo(options.Start + (6 * Minute), events);
        var relistedAt = market.SetListing("SOLUSDT", ListingStatus.Trading);
        market.AdvanceTo(options.Start + (10 * Minute), events);

        HashSet<string> changed = ["ETHUSDT", "SOLUSDT"];
        Assert.Equal(Bytes(baseline, s => !changed.Contains(s)), Bytes(events, s => !changed.Contains(s)));
        Assert.Equal(startUs + (long)(2 * Minute).TotalMicroseconds, delistedAt);

        // Nothing trades or moves its book while delisted; ids go on where they stopped.
        var sol = events.Trades.Where(t => t.Symbol == "SOLUSDT").ToList();
        Assert.DoesNotContain(sol, t => t.TradeTimeUs > delistedAt && t.TradeTimeUs <= relistedAt);
        Assert.DoesNotContain(events.DepthUpdates, d => d.Symbol == "SOLUSDT" && d.EventTimeUs > delistedAt && d.EventTimeUs <= relistedAt);
        var resumed = sol.FindIndex(t => t.TradeTimeUs > relistedAt);
        Assert.True(resumed > 0, "SOLUSDT trades before its delisting and after its relisting");
        Assert.Equal(sol[resumed - 1].AggregateId + 1, sol[resumed].AggregateId);
        Assert.Equal(sol[resumed - 1].LastTradeId + 1, sol[resumed].FirstTradeId);

        // A symbol listed later trades from its listing on, as it would have from the start, shifted to its listing.
        var eth = events.Trades.Where(t => t.Symbol == "ETHUSDT").ToList();
        Assert.NotEmpty(eth);
        Assert.All(eth, t => Assert.True(t.TradeTimeUs > listedAt));
        Assert.DoesNotContain(events.DepthUpdates, d => d.Symbol == "ETHUSDT" && d.EventTimeUs <= listedAt);
        var shift = listedAt - startUs;
        var expected = baseline.Trades.Where(t => t.Symbol == "ETHUSDT" && t.TradeTimeUs + shift <= market.NowUs)
            .Select(t => t with { TradeTimeUs = t.TradeTimeUs + shift, EventTimeUs = t.EventTimeUs + shift })
            .ToList();
        Assert.Equal(expected, eth);
    }

    [Theory]
    [InlineData(MarketFlavor.Spot, "BREAK")]
    [InlineData(MarketFlavor.UsdmFutures, "SETTLING")]
    public async Task ExchangeInfoAndRest_FollowListingAndDelisting(MarketFlavor flavor, string delistedStatus)
    {
        await using var harness = await StreamHarness.StartAsync(flavor: flavor, unlisted: ["SUIUSDT"]);
        harness.Advance(Minute);
        using var rest = new HttpClient { BaseAddress = harness.Exchange.Region("a").HttpUrl };
        using var control = new HttpClient { BaseAddress = harness.Server.ControlUrl };
        var prefix = flavor == MarketFlavor.Spot ? "api/v3/" : "fapi/v1/";

        var before = await StatusesAsync(rest, prefix);
        Assert.Equal(19, before.Count);
        Assert.DoesNotContain("SUIUSDT", before.Keys);
        Assert.All(before.Values, status => Assert.Equal("TRADING", status));
        var unknown = await rest.GetAsync(prefix + "aggTrades?symbol=SUIUSDT", Token);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(-1121, (await unknown.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("code").GetInt32());

        (await control.PostAsync("markets/spot/symbols/SUIUSDT/list", null, Token)).EnsureSuccessStatusCode();
        (await control.PostAsync("markets/spot/symbols/BTCUSDT/delist", null, Token)).EnsureSuccessStatusCode();
        harness.Advance(Minute);

        var after = await StatusesAsync(rest, prefix);
        Assert.Equal(20, after.Count);
        Assert.Equal("TRADING", after["SUIUSDT"]);
        Assert.Equal(delistedStatus, after["BTCUSDT"]);
        Assert.Equal("TRADING", after["ETHUSDT"]);

        // A delisted symbol keeps its history; the newly listed one serves what it traded since its listing.
        var btcTrades = harness.Trades("BTCUSDT");
        var history = await rest.GetFromJsonAsync<JsonElement>(prefix + $"aggTrades?symbol=BTCUSDT&fromId={btcTrades[0].AggregateId}&limit=1000", Token);
        Assert.Equal(Math.Min(1000, btcTrades.Count), history.GetArrayLength());
        var suiTrades = harness.Trades("SUIUSDT");
        Assert.NotEmpty(suiTrades);
        var sui = await rest.GetFromJsonAsync<JsonElement>(prefix + "aggTrades?symbol=SUIUSDT&limit=1000", Token);
        Assert.Equal(suiTrades[0].AggregateId, sui[0].GetProperty("a").GetInt64());
    }

    [Fact]
    public async Task Streams_ADelistedSymbolStaysSubscribedButSilent_ANewListingStartsStreaming()
    {
        await using var harness = await StreamHarness.StartAsync(unlisted: ["SUIUSDT"]);
        using var client = await harness.ConnectAsync("/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade/suiusdt@aggTrade");
        using var control = new HttpClient { BaseAddress = harness.Server.ControlUrl };

        harness.Advance(TimeSpan.FromSeconds(20));
        var first = await ReceiveAllAsync(client, harness.Trades("BTCUSDT").Count + harness.Trades("ETHUSDT").Count);
        Assert.Equal(["btcusdt@aggTrade", "ethusdt@aggTrade"], first.Keys.Order(StringComparer.Ordinal));

        (await control.PostAsync("markets/spot/symbols/ETHUSDT/delist", null, Token)).EnsureSuccessStatusCode();
        (await control.PostAsync("markets/spot/symbols/SUIUSDT/list", null, Token)).EnsureSuccessStatusCode();
        var ethTrades = harness.Trades("ETHUSDT").Count;
        var btcBefore = harness.Trades("BTCUSDT").Count;
        harness.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(ethTrades, harness.Trades("ETHUSDT").Count);
        var second = await ReceiveAllAsync(client, harness.Trades("BTCUSDT").Count - btcBefore + harness.Trades("SUIUSDT").Count);
        Assert.Equal(["btcusdt@aggTrade", "suiusdt@aggTrade"], second.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(harness.Trades("SUIUSDT").Count, second["suiusdt@aggTrade"]);

        // Nothing more was sent (the reply comes right after), and the delisted stream is still subscribed.
        await client.SendAsync("""{"method":"LIST_SUBSCRIPTIONS","id":1}""");
        var reply = JsonDocument.Parse((await client.ReceiveAsync())!).RootElement;
        Assert.Equal(1, reply.GetProperty("id").GetInt32());
        Assert.Contains("ethusdt@aggTrade", reply.GetProperty("result").EnumerateArray().Select(s => s.GetString()));

        // The control API lists the same subscriptions.
        var connection = harness.Exchange.Region("a").Region.Connections().Single().Id;
        var streams = await control.GetFromJsonAsync<List<string>>($"markets/spot/regions/a/connections/{connection}/streams", Token);
        Assert.Equal(["btcusdt@aggTrade", "ethusdt@aggTrade", "suiusdt@aggTrade"], streams);
        Assert.Equal(HttpStatusCode.NotFound, (await control.GetAsync($"markets/spot/regions/a/connections/{connection + 1}/streams", Token)).StatusCode);
    }

    [Fact]
    public async Task ControlApi_ListsStatuses_ChangesThem_AndRefusesWhatItCannotDo()
    {
        await using var harness = await StreamHarness.StartAsync(unlisted: ["SUIUSDT", "LTCUSDT"]);
        using var control = new HttpClient { BaseAddress = harness.Server.ControlUrl };
        harness.Advance(Minute);

        var symbols = await control.GetFromJsonAsync<JsonElement>("markets/spot/symbols", Token);
        Assert.Equal(20, symbols.GetArrayLength());
        var sui = symbols.EnumerateArray().Single(s => s.GetProperty("symbol").GetString() == "SUIUSDT");
        Assert.Equal("Unlisted", sui.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, sui.GetProperty("exchangeInfoStatus").ValueKind);
        Assert.Equal("TRADING", symbols[0].GetProperty("exchangeInfoStatus").GetString());

        // Nothing traded before its listing: the ground truth does not claim trades that never happened.
        Assert.DoesNotContain("SUIUSDT", await TruthSymbolsAsync(control));

        var listed = await control.PostAsync("markets/spot/symbols/SUIUSDT/list", null, Token);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var listing = await listed.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("Trading", listing.GetProperty("status").GetString());
        Assert.Equal("TRADING", listing.GetProperty("exchangeInfoStatus").GetString());
        var listedAt = listing.GetProperty("atUs").GetInt64();
        Assert.Equal(harness.Exchange.Market.NowUs, listedAt);
        harness.Advance(Minute);
        Assert.Contains("SUIUSDT", await TruthSymbolsAsync(control));
        Assert.All(harness.Trades("SUIUSDT"), t => Assert.True(t.TradeTimeUs > listedAt));

        // Repeating a change changes nothing; delisting twice too.
        Assert.Equal(HttpStatusCode.OK, (await control.PostAsync("markets/spot/symbols/SUIUSDT/list", null, Token)).StatusCode);
        var delisted = await control.PostAsync("markets/spot/symbols/BTCUSDT/delist", null, Token);
        Assert.Equal("BREAK", (await delisted.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("exchangeInfoStatus").GetString());
        Assert.Equal(HttpStatusCode.OK, (await control.PostAsync("markets/spot/symbols/BTCUSDT/delist", null, Token)).StatusCode);
        Assert.Equal(ListingStatus.Delisted, harness.Exchange.Market.Listings.Get("BTCUSDT"));

        Assert.Equal(HttpStatusCode.NotFound, (await control.PostAsync("markets/nope/symbols/BTCUSDT/list", null, Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await control.GetAsync("markets/nope/symbols", Token)).StatusCode);
        var unknown = await control.PostAsync("markets/spot/symbols/NOPEUSDT/delist", null, Token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("NOPEUSDT", await unknown.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        var neverListed = await control.PostAsync("markets/spot/symbols/LTCUSDT/delist", null, Token);
        Assert.Equal(HttpStatusCode.BadRequest, neverListed.StatusCode);
        Assert.Contains("never listed", await neverListed.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(ListingStatus.Unlisted, harness.Exchange.Market.Listings.Get("LTCUSDT"));
    }

    [Fact]
    public void SimulatedMarket_UnknownUnlistedSymbol_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => SimulatedMarket.Create(Markets.Small(seed: 7), unlisted: ["NOPEUSDT"]));
        Assert.Contains("NOPEUSDT", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Each symbol's exchangeInfo status.</summary>
    private static async Task<Dictionary<string, string>> StatusesAsync(HttpClient rest, string prefix)
    {
        var info = await rest.GetFromJsonAsync<JsonElement>(prefix + "exchangeInfo", Token);
        return info.GetProperty("symbols").EnumerateArray().ToDictionary(s => s.GetProperty("symbol").GetString()!, s => s.GetProperty("status").GetString()!);
    }

    private static async Task<List<string>> TruthSymbolsAsync(HttpClient control) =>
        [.. (await control.GetFromJsonAsync<JsonElement>("markets/spot/truth/symbols", Token)).EnumerateArray().Select(s => s.GetProperty("symbol").GetString()!)];

    /// <summary>Receives <paramref name="count"/> combined-stream messages and counts them per stream.</summary>
    private static async Task<Dictionary<string, int>> ReceiveAllAsync(StreamClient client, int count)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var message in await client.ReceiveAsync(count))
        {
            var stream = JsonDocument.Parse(message).RootElement.GetProperty("stream").GetString()!;
            counts[stream] = counts.GetValueOrDefault(stream) + 1;
        }

        return counts;
    }

    /// <summary>The stream bytes of the trades and diffs of the symbols <paramref name="include"/> accepts, in the order generated.</summary>
    private static string Bytes(RecordingListener events, Func<string, bool> include)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new BinanceStreamWriter(MarketFlavor.Spot);
        foreach (var trade in events.Trades.Where(t => include(t.Symbol)))
        {
            writer.WriteAggTrade(buffer, trade);
        }

        foreach (var update in events.DepthUpdates.Where(d => include(d.Symbol)))
        {
            writer.WriteDepthUpdate(buffer, update);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
