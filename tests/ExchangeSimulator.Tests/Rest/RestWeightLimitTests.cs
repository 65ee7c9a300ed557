using System.Net;

namespace ExchangeSimulator.Tests.Rest;

public sealed class RestWeightLimitTests
{
    [Fact]
    public async Task UsedWeightHeader_MixedRequests_IncrementsByDocumentedWeights()
    {
        await using var rest = await RestHarness.StartAsync();
        var symbol = rest.Market.Symbols[0].Name;

        var used = new List<int?>
        {
            (await rest.GetAsync($"aggTrades?symbol={symbol}&limit=5")).UsedWeight,
            (await rest.GetAsync($"klines?symbol={symbol}&interval=1m&limit=5")).UsedWeight,
            (await rest.GetAsync($"depth?symbol={symbol}&limit=10")).UsedWeight,
            (await rest.GetAsync($"depth?symbol={symbol}&limit=200")).UsedWeight,
            (await rest.GetAsync("exchangeInfo")).UsedWeight,
            (await rest.GetAsync("aggTrades?symbol=NOPEUSDT")).UsedWeight,
        };

        Assert.Equal([4, 6, 11, 36, 56, 60], used);
    }

    [Fact]
    public async Task UsedWeightHeader_NextMinute_StartsFromZero()
    {
        await using var rest = await RestHarness.StartAsync();
        var symbol = rest.Market.Symbols[0].Name;

        var first = await rest.GetAsync($"aggTrades?symbol={symbol}&limit=5");
        var second = await rest.GetAsync($"aggTrades?symbol={symbol}&limit=5");
        rest.Clock.Advance(TimeSpan.FromSeconds(50));
        var nextMinute = await rest.GetAsync($"aggTrades?symbol={symbol}&limit=5");

        Assert.Equal([4, 8, 4], new[] { first.UsedWeight, second.UsedWeight, nextMinute.UsedWeight });
    }

    [Fact]
    public async Task Budget_Exceeded_Answers429WithRetryAfterThenRecoversNextMinute()
    {
        await using var rest = await RestHarness.StartAsync(weightPerMinute: 20);
        var path = $"aggTrades?symbol={rest.Market.Symbols[0].Name}&limit=5";
        for (var i = 1; i <= 5; i++)
        {
            var ok = await rest.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, ok.Status);
            Assert.Equal(4 * i, ok.UsedWeight);
        }

        var limited = await rest.GetAsync(path);
        rest.Clock.Advance(TimeSpan.FromSeconds(49));
        var stillLimited = await rest.GetAsync(path);
        rest.Clock.Advance(TimeSpan.FromSeconds(1));
        var recovered = await rest.GetAsync(path);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(TimeSpan.FromSeconds(50), limited.RetryAfter);
        Assert.Equal(20, limited.UsedWeight);
        Assert.Equal(-1003, limited.Code);
        Assert.StartsWith("Too much request weight used; current limit is 20 request weight per 1 MINUTE.", limited.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillLimited.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), stillLimited.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, recovered.Status);
        Assert.Equal(4, recovered.UsedWeight);
    }

    [Fact]
    public async Task Budget_RequestTooHeavyForRemainder_IsRefusedWhileLighterOneFits()
    {
        await using var rest = await RestHarness.StartAsync(weightPerMinute: 8);
        var symbol = rest.Market.Symbols[0].Name;

        var aggTrades = await rest.GetAsync($"aggTrades?symbol={symbol}&limit=5");
        var depth = await rest.GetAsync($"depth?symbol={symbol}&limit=5");
        var klines = await rest.GetAsync($"klines?symbol={symbol}&interval=1m&limit=5");

        Assert.Equal(HttpStatusCode.OK, aggTrades.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, depth.Status);
        Assert.Equal(4, depth.UsedWeight);
        Assert.Equal(HttpStatusCode.OK, klines.Status);
        Assert.Equal(6, klines.UsedWeight);
    }

    [Fact]
    public async Task KeepSendingAfter429_Answers418AndBansForTwoMinutes()
    {
        await using var rest = await RestHarness.StartAsync(weightPerMinute: 8, refusedBeforeBan: 3);
        var path = $"aggTrades?symbol={rest.Market.Symbols[0].Name}&limit=5";
        Assert.Equal(HttpStatusCode.OK, (await rest.GetAsync(path)).Status);
        Assert.Equal(HttpStatusCode.OK, (await rest.GetAsync(path)).Status);

        var refused = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            refused.Add((await rest.GetAsync(path)).Status);
        }

        var banned = await rest.GetAsync(path);
        rest.Clock.Advance(TimeSpan.FromSeconds(60));
        var bannedNextMinute = await rest.GetAsync("exchangeInfo");
        rest.Clock.Advance(TimeSpan.FromSeconds(59));
        var lastBannedSecond = await rest.GetAsync(path);
        rest.Clock.Advance(TimeSpan.FromSeconds(1));
        var afterBan = await rest.GetAsync(path);

        Assert.Equal(
            [HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, (HttpStatusCode)418],
            refused);
        Assert.Equal((HttpStatusCode)418, banned.Status);
        Assert.Equal(TimeSpan.FromSeconds(120), banned.RetryAfter);
        Assert.Equal(-1003, banned.Code);
        var bannedUntilMs = (RestHarness.ClockStart + TimeSpan.FromMinutes(2)).ToUnixTimeMilliseconds();
        Assert.StartsWith($"Way too much request weight used; IP banned until {bannedUntilMs}.", banned.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)418, bannedNextMinute.Status);
        Assert.Equal(TimeSpan.FromSeconds(60), bannedNextMinute.RetryAfter);
        Assert.Equal(0, bannedNextMinute.UsedWeight);
        Assert.Equal((HttpStatusCode)418, lastBannedSecond.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), lastBannedSecond.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, afterBan.Status);
        Assert.Equal(4, afterBan.UsedWeight);
    }

    [Fact]
    public async Task SecondBan_SameClient_LastsTwiceAsLong()
    {
        await using var rest = await RestHarness.StartAsync(weightPerMinute: 4, refusedBeforeBan: 0);
        var path = $"aggTrades?symbol={rest.Market.Symbols[0].Name}&limit=5";

        Assert.Equal(HttpStatusCode.OK, (await rest.GetAsync(path)).Status);
        var firstBan = await rest.GetAsync(path);
        rest.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, (await rest.GetAsync(path)).Status);
        var secondBan = await rest.GetAsync(path);
        rest.Clock.Advance(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        var stillBanned = await rest.GetAsync(path);
        rest.Clock.Advance(TimeSpan.FromSeconds(1));
        var free = await rest.GetAsync(path);

        Assert.Equal((HttpStatusCode)418, firstBan.Status);
        Assert.Equal(TimeSpan.FromMinutes(2), firstBan.RetryAfter);
        Assert.Equal((HttpStatusCode)418, secondBan.Status);
        Assert.Equal(TimeSpan.FromMinutes(4), secondBan.RetryAfter);
        Assert.Equal((HttpStatusCode)418, stillBanned.Status);
        Assert.Equal(HttpStatusCode.OK, free.Status);
    }
}
