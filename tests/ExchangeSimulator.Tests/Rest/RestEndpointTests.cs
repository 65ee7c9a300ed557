using System.Net;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Market;

namespace ExchangeSimulator.Tests.Rest;

public sealed class RestEndpointTests
{
    [Fact]
    public async Task ExchangeInfo_Spot_EqualsWriterOverEverySymbol()
    {
        await using var rest = await RestHarness.StartAsync();

        var reply = await rest.GetAsync("exchangeInfo");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var expected = RestHarness.Write((w, b) => w.WriteExchangeInfo(b, rest.Market.NowUs, rest.Market.Symbols));
        Assert.Equal(expected, reply.Body);
        Assert.Equal(20, reply.Json.GetProperty("symbols").GetArrayLength());
        Assert.Equal(20, reply.UsedWeight);
    }

    [Fact]
    public async Task AggTrades_FromIdPaging_ReturnsEveryIdOnceInOrder()
    {
        await using var rest = await RestHarness.StartAsync(marketDuration: TimeSpan.FromMinutes(3));
        var symbol = rest.Market.Symbols[0].Name;
        var truth = rest.Market.Read((_, t) => t.GetTrades(symbol).ToList());
        Assert.True(truth.Count >= 2500, $"only {truth.Count} trades");

        var ids = new List<long>();
        var fromId = truth[0].AggregateId;
        while (true)
        {
            var reply = await rest.GetAsync($"aggTrades?symbol={symbol}&fromId={fromId}&limit=1000");
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            var page = reply.Json.EnumerateArray().Select(t => t.GetProperty("a").GetInt64()).ToList();
            ids.AddRange(page);
            if (page.Count < 1000)
            {
                break;
            }

            fromId = page[^1] + 1;
        }

        Assert.Equal(truth.Select(t => t.AggregateId), ids);
    }

    [Fact]
    public async Task AggTrades_FromId_BodyEqualsGroundTruthPage()
    {
        await using var rest = await RestHarness.StartAsync();
        var symbol = rest.Market.Symbols[1].Name;
        var fromId = rest.Market.Read((_, t) => t.GetTrades(symbol)[10].AggregateId);
        var expectedTrades = rest.Market.Read((_, t) => t.QueryTrades(symbol, fromId, null, null, 300));

        var reply = await rest.GetAsync($"aggTrades?symbol={symbol}&fromId={fromId}&limit=300");

        Assert.Equal(RestHarness.Write((w, b) => w.WriteAggTrades(b, expectedTrades)), reply.Body);
        Assert.Equal(fromId, reply.Json[0].GetProperty("a").GetInt64());
        Assert.Equal(300, reply.Json.GetArrayLength());
    }

    [Fact]
    public async Task AggTrades_StartAndEndTimeInMilliseconds_ReturnsTradesInsideInclusiveRange()
    {
        await using var rest = await RestHarness.StartAsync();
        var symbol = rest.Market.Symbols[0].Name;
        var all = rest.Market.Read((_, t) => t.GetTrades(symbol).ToList());
        var startMs = (all[100].TradeTimeUs / 1000) + 1;
        var endMs = all[400].TradeTimeUs / 1000;
        var expected = all.Where(t => t.TradeTimeUs / 1000 >= startMs && t.TradeTimeUs / 1000 <= endMs).ToList();

        var reply = await rest.GetAsync($"aggTrades?symbol={symbol}&startTime={startMs}&endTime={endMs}&limit=1000");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(expected.Select(t => t.AggregateId), reply.Json.EnumerateArray().Select(t => t.GetProperty("a").GetInt64()));
        Assert.Equal(RestHarness.Write((w, b) => w.WriteAggTrades(b, expected)), reply.Body);
    }

    [Fact]
    public async Task AggTrades_MicrosecondHeader_FiltersAndPrintsMicroseconds()
    {
        await using var rest = await RestHarness.StartAsync();
        var symbol = rest.Market.Symbols[0].Name;
        var all = rest.Market.Read((_, t) => t.GetTrades(symbol).ToList());
        var startUs = all[50].TradeTimeUs;
        var endUs = all[60].TradeTimeUs;
        var expected = all.Where(t => t.TradeTimeUs >= startUs && t.TradeTimeUs <= endUs).ToList();

        var reply = await rest.GetAsync($"aggTrades?symbol={symbol}&startTime={startUs}&endTime={endUs}", timeUnit: "MICROSECOND");

        Assert.Equal(RestHarness.Write((w, b) => w.WriteAggTrades(b, expected), unit: BinanceTimeUnit.Microsecond), reply.Body);
        Assert.Equal(startUs, reply.Json[0].GetProperty("T").GetInt64());
    }

    [Fact]
    public async Task AggTrades_NoSelector_ReturnsMostRecent500()
    {
        await using var rest = await RestHarness.StartAsync();
        var symbol = rest.Market.Symbols[0].Name;
        var all = rest.Market.Read((_, t) => t.GetTrades(symbol).ToList());

        var reply = await rest.GetAsync($"aggTrades?symbol={symbol}");

        Assert.Equal(all.TakeLast(500).Select(t => t.AggregateId), reply.Json.EnumerateArray().Select(t => t.GetProperty("a").GetInt64()));
    }

    [Theory]
    [InlineData("1", HttpStatusCode.OK, 1)]
    [InlineData("1000", HttpStatusCode.OK, 1000)]
    [InlineData("1001", HttpStatusCode.BadRequest, -1130)]
    [InlineData("0", HttpStatusCode.BadRequest, -1130)]
    [InlineData("-5", HttpStatusCode.BadRequest, -1100)]
    [InlineData("ten", HttpStatusCode.BadRequest, -1100)]
    public async Task AggTrades_Limit_BoundsAndErrorCodes(string limit, HttpStatusCode status, int countOrCode)
    {
        await using var rest = await RestHarness.StartAsync();
        var symbol = rest.Market.Symbols[0].Name;

        var reply = await rest.GetAsync($"aggTrades?symbol={symbol}&fromId=0&limit={limit}");

        Assert.Equal(status, reply.Status);
        Assert.Equal(countOrCode, status == HttpStatusCode.OK ? reply.Json.GetArrayLength() : reply.Code);
        if (countOrCode == -1100)
        {
            Assert.Equal("Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'.", reply.Message);
        }
    }

    [Fact]
    public async Task Depth_Snapshot_EqualsOrderBookAndFollowsTheMarket()
    {
        await using var rest = await RestHarness.StartAsync();
        var symbol = rest.Market.Symbols[0].Name;
        var before = rest.Market.Read((m, _) => m.GetOrderBook(symbol, 20));

        var first = await rest.GetAsync($"depth?symbol={symbol}&limit=20");
        rest.Market.AdvanceTo(rest.Market.NowUs + (10 * 1_000_000));
        var after = rest.Market.Read((m, _) => m.GetOrderBook(symbol, 20));
        var second = await rest.GetAsync($"depth?symbol={symbol}&limit=20");

        Assert.Equal(RestHarness.Write((w, b) => w.WriteDepth(b, before)), first.Body);
        Assert.Equal(RestHarness.Write((w, b) => w.WriteDepth(b, after)), second.Body);
        Assert.True(after.LastUpdateId > before.LastUpdateId);
        Assert.Equal(20, first.Json.GetProperty("bids").GetArrayLength());
        var bids = first.Json.GetProperty("bids").EnumerateArray().Select(l => decimal.Parse(l[0].GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var asks = first.Json.GetProperty("asks").EnumerateArray().Select(l => decimal.Parse(l[0].GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(bids.OrderByDescending(p => p), bids);
        Assert.Equal(asks.OrderBy(p => p), asks);
        Assert.True(bids[0] < asks[0]);
    }

    [Theory]
    [InlineData(null, 5)]
    [InlineData("1", 5)]
    [InlineData("100", 5)]
    [InlineData("101", 25)]
    [InlineData("500", 25)]
    [InlineData("501", 50)]
    [InlineData("1000", 50)]
    [InlineData("1001", 250)]
    [InlineData("5000", 250)]
    public async Task Depth_LimitTier_ChargesDocumentedWeight(string? limit, int weight)
    {
        await using var rest = await RestHarness.StartAsync();
        var symbol = rest.Market.Symbols[0].Name;

        var reply = await rest.GetAsync($"depth?symbol={symbol}" + (limit is null ? "" : $"&limit={limit}"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(weight, reply.UsedWeight);
    }

    [Fact]
    public async Task Depth_LimitAbove5000_Returns1130()
    {
        await using var rest = await RestHarness.StartAsync();

        var reply = await rest.GetAsync($"depth?symbol={rest.Market.Symbols[0].Name}&limit=5001");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(-1130, reply.Code);
        Assert.Equal("Data sent for parameter 'limit' is not valid.", reply.Message);
    }

    [Fact]
    public async Task Klines_WholeRange_EqualsKlinesCompute()
    {
        await using var rest = await RestHarness.StartAsync(marketDuration: TimeSpan.FromMinutes(20));
        var spec = rest.Market.Symbols[2];
        var (trades, nowUs) = rest.Market.Read((m, t) => (t.GetTrades(spec.Name).ToList(), m.NowUs));
        var expected = Klines.Compute(spec, trades, KlineInterval.OneMinute, nowUs);

        var reply = await rest.GetAsync($"klines?symbol={spec.Name}&interval=1m");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(2, reply.UsedWeight);
        Assert.True(expected.Count >= 20);
        Assert.Equal(RestHarness.Write((w, b) => w.WriteKlines(b, expected)), reply.Body);
    }

    [Fact]
    public async Task Klines_StartEndAndLimit_SelectsByOpenTime()
    {
        await using var rest = await RestHarness.StartAsync(marketDuration: TimeSpan.FromMinutes(20));
        var spec = rest.Market.Symbols[0];
        var (trades, nowUs) = rest.Market.Read((m, t) => (t.GetTrades(spec.Name).ToList(), m.NowUs));
        var all = Klines.Compute(spec, trades, KlineInterval.OneMinute, nowUs);
        // A start one microsecond after an open time skips that kline; an end equal to an open time keeps it.
        var startMs = (all[3].OpenTimeUs / 1000) + 1;
        var endMs = all[15].OpenTimeUs / 1000;

        var ranged = await rest.GetAsync($"klines?symbol={spec.Name}&interval=1m&startTime={startMs}&endTime={endMs}");
        var firstFive = await rest.GetAsync($"klines?symbol={spec.Name}&interval=1m&startTime={startMs}&limit=5");
        var lastThree = await rest.GetAsync($"klines?symbol={spec.Name}&interval=1m&limit=3");

        Assert.Equal(RestHarness.Write((w, b) => w.WriteKlines(b, all.Skip(4).Take(12).ToList())), ranged.Body);
        Assert.Equal(RestHarness.Write((w, b) => w.WriteKlines(b, all.Skip(4).Take(5).ToList())), firstFive.Body);
        Assert.Equal(RestHarness.Write((w, b) => w.WriteKlines(b, all.TakeLast(3).ToList())), lastThree.Body);
    }

    [Theory]
    [InlineData("aggTrades?symbol=NOPEUSDT", -1121, "Invalid symbol.")]
    [InlineData("depth?symbol=NOPEUSDT", -1121, "Invalid symbol.")]
    [InlineData("aggTrades?symbol=btcusdt", -1100, "Illegal characters found in parameter 'symbol'; legal range is '^[A-Z0-9-_.]{1,20}$'.")]
    [InlineData("aggTrades", -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.")]
    [InlineData("depth?symbol=", -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.")]
    [InlineData("klines?symbol=BTCUSDT", -1102, "Mandatory parameter 'interval' was not sent, was empty/null, or malformed.")]
    [InlineData("klines?symbol=BTCUSDT&interval=7m", -1120, "Invalid interval.")]
    [InlineData("aggTrades?symbol=BTCUSDT&startTime=yesterday", -1100, "Illegal characters found in parameter 'startTime'; legal range is '^[0-9]{1,20}$'.")]
    [InlineData("klines?symbol=BTCUSDT&interval=1m&limit=1001", -1130, "Data sent for parameter 'limit' is not valid.")]
    public async Task BadRequest_Spot_AnswersBinanceErrorBody(string pathAndQuery, int code, string message)
    {
        await using var rest = await RestHarness.StartAsync();

        var reply = await rest.GetAsync(pathAndQuery);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(code, reply.Code);
        Assert.Equal(message, reply.Message);
        Assert.NotNull(reply.UsedWeight);
    }

    [Fact]
    public async Task Futures_Paths_ServeFuturesBodiesAndWeights()
    {
        await using var rest = await RestHarness.StartAsync(flavor: MarketFlavor.UsdmFutures);
        var symbol = rest.Market.Symbols[0].Name;
        var snapshot = rest.Market.Read((m, _) => m.GetOrderBook(symbol, 100));
        var trades = rest.Market.Read((_, t) => t.QueryTrades(symbol, 0, null, null, 10));

        var depth = await rest.GetAsync($"depth?symbol={symbol}&limit=100");
        var aggTrades = await rest.GetAsync($"aggTrades?symbol={symbol}&fromId=0&limit=10");
        using var spotPath = await rest.Client.GetAsync($"api/v3/depth?symbol={symbol}", TestContext.Current.CancellationToken);

        Assert.Equal(RestHarness.Write((w, b) => w.WriteDepth(b, snapshot), MarketFlavor.UsdmFutures), depth.Body);
        Assert.Equal(5, depth.UsedWeight);
        Assert.Equal(RestHarness.Write((w, b) => w.WriteAggTrades(b, trades), MarketFlavor.UsdmFutures), aggTrades.Body);
        Assert.Equal(25, aggTrades.UsedWeight);
        Assert.Equal(HttpStatusCode.NotFound, spotPath.StatusCode);
    }

    [Fact]
    public async Task AggTrades_ConcurrentWithAdvances_EveryPageIsConsecutive()
    {
        await using var rest = await RestHarness.StartAsync(marketDuration: TimeSpan.FromSeconds(10));
        var symbol = rest.Market.Symbols[0].Name;
        using var stop = new CancellationTokenSource();
        var advancing = Task.Run(
            () =>
            {
                var until = rest.Market.NowUs;
                for (var i = 0; i < 200 && !stop.IsCancellationRequested; i++)
                {
                    until += 500_000;
                    rest.Market.AdvanceTo(until);
                }
            },
            TestContext.Current.CancellationToken);

        var readers = Enumerable.Range(0, 4).Select(async _ =>
        {
            for (var i = 0; i < 25; i++)
            {
                var reply = await rest.GetAsync($"aggTrades?symbol={symbol}&limit=200");
                Assert.Equal(HttpStatusCode.OK, reply.Status);
                var ids = reply.Json.EnumerateArray().Select(t => t.GetProperty("a").GetInt64()).ToList();
                Assert.Equal(Enumerable.Range(0, ids.Count).Select(k => ids[0] + k), ids);
            }
        });

        try
        {
            await Task.WhenAll(readers);
        }
        finally
        {
            await stop.CancelAsync();
            await advancing;
        }
    }
}
