using Ingest.GapBackfill;
using Ingest.Sequencing;
using Ingest.Tests.Rest;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Ops.V1;

namespace Ingest.Tests.GapBackfill;

/// <summary>Which feed gaps a market's pods backfill: open aggregate-id holes of their market that another service reported.</summary>
public sealed class FeedGapFilterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _clock = new(Now);

    [Fact]
    public void AnOpenHoleReportedByTheProcessor_IsFetched_ExactlyItsIds()
    {
        var decision = Filter().Evaluate(ProcessorGap());

        Assert.True(decision.IsAccepted);
        Assert.Equal("BTCUSDT", decision.Symbol);
        Assert.Equal(new IdInterval(1000, 1009), decision.Fetch);
        Assert.Equal(decision.Fetch, decision.Reported);
        Assert.Equal(0, decision.OverCap);
    }

    [Theory]
    [InlineData("other market", "market")]
    [InlineData("filled", "filled")]
    [InlineData("depth ids", "kind")]
    [InlineData("connection", "kind")]
    [InlineData("unspecified kind", "kind")]
    [InlineData("detected by an ingest pod", "detector")]
    [InlineData("no ids", "no_ids")]
    [InlineData("reversed ids", "no_ids")]
    [InlineData("negative ids", "no_ids")]
    [InlineData("no symbol", "no_ids")]
    [InlineData("older than the maximum age", "too_old")]
    [InlineData("never stamped", "too_old")]
    public void GapsNotToFetch_AreIgnoredWithTheirReason(string change, string reason)
    {
        var gap = ProcessorGap();
        switch (change)
        {
            case "other market": gap.Market = Market.UsdmFutures; break;
            case "filled": gap.Filled = true; break;
            case "depth ids": gap.Kind = FeedGapKind.DepthUpdateIds; break;
            case "connection": gap.Kind = FeedGapKind.Connection; gap.MissingIds = null; break;
            case "unspecified kind": gap.Kind = FeedGapKind.Unspecified; break;
            case "detected by an ingest pod": gap.DetectedBy = "ingest/ingest-b-0"; break;
            case "no ids": gap.MissingIds = null; break;
            case "reversed ids": gap.MissingIds = new IdRange { First = 1009, Last = 1000 }; break;
            case "negative ids": gap.MissingIds = new IdRange { First = -5, Last = 3 }; break;
            case "no symbol": gap.Symbol = ""; break;
            case "older than the maximum age": gap.DetectedAtUs = MicrosecondsAgo(TimeSpan.FromHours(1) + TimeSpan.FromMicroseconds(1)); break;
            case "never stamped": gap.DetectedAtUs = 0; break;
            default: throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }

        var decision = Filter().Evaluate(gap);

        Assert.False(decision.IsAccepted);
        Assert.Equal(reason, decision.Ignored.Label());
    }

    [Fact]
    public void TheProcessorsOtherMarket_IsFetchedByThatMarketsFilter()
    {
        var gap = ProcessorGap();
        gap.Market = Market.UsdmFutures;
        gap.DetectedBy = "taker-volume-usdm/taker-volume-0";

        Assert.True(Filter(market: Market.UsdmFutures).Evaluate(gap).IsAccepted);
        Assert.Equal(GapIgnoreReason.Market, Filter(market: Market.Spot).Evaluate(gap).Ignored);
    }

    [Fact]
    public void AGapExactlyMaxAgeOld_IsStillFetched_AndAClockAheadOfOursIsNoReasonToIgnore()
    {
        var atLimit = ProcessorGap();
        atLimit.DetectedAtUs = MicrosecondsAgo(TimeSpan.FromHours(1));
        var ahead = ProcessorGap();
        ahead.DetectedAtUs = MicrosecondsAgo(-TimeSpan.FromMinutes(5));

        Assert.True(Filter().Evaluate(atLimit).IsAccepted);
        Assert.True(Filter().Evaluate(ahead).IsAccepted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(GapIgnoreReason.TooOld, Filter().Evaluate(atLimit).Ignored);
    }

    [Fact]
    public void AcceptedDetectors_NarrowWhoIsListenedTo_ButNeverAdmitTheIngestPods()
    {
        var filter = Filter(options => options.AcceptedDetectors.AddRange(["taker-volume-", "reconciler/"]));
        string[] accepted = ["taker-volume-spot/taker-volume-0", "reconciler/7"];
        string[] ignored = ["depth-merger-spot/0", "", "ingest/ingest-a-0"];

        foreach (var detector in accepted)
        {
            Assert.True(filter.Evaluate(ProcessorGap(detector)).IsAccepted, detector);
        }

        foreach (var detector in ignored)
        {
            Assert.Equal(GapIgnoreReason.Detector, filter.Evaluate(ProcessorGap(detector)).Ignored);
        }

        // Without a list every detector is accepted except an ingest pod (anything under ingest/, nothing else).
        Assert.True(Filter().Evaluate(ProcessorGap("depth-merger-spot/0")).IsAccepted);
        Assert.True(Filter().Evaluate(ProcessorGap("ingestion-tool/1")).IsAccepted);
        Assert.Equal(GapIgnoreReason.Detector, Filter().Evaluate(ProcessorGap("ingest/x")).Ignored);
    }

    [Fact]
    public void ARangeAboveTheCap_IsFetchedFromItsStartUpToTheCap_AndTheRestCounted()
    {
        var gap = ProcessorGap();
        gap.MissingIds = new IdRange { First = 5_000, Last = 5_000 + 250_000 - 1 };

        var decision = Filter(options => options.MaxIdsPerGap = 100_000).Evaluate(gap);

        Assert.True(decision.IsAccepted);
        Assert.Equal(new IdInterval(5_000, 104_999), decision.Fetch);
        Assert.Equal(new IdInterval(5_000, 254_999), decision.Reported);
        Assert.Equal(150_000, decision.OverCap);
        Assert.Equal(100_000, Filter(options => options.MaxIdsPerGap = 100_000).Evaluate(Gap(5_000, 104_999)).Fetch.Count);
        Assert.Equal(0, Filter(options => options.MaxIdsPerGap = 100_000).Evaluate(Gap(5_000, 104_999)).OverCap);
    }

    [Fact]
    public void TheSymbol_IsTheExchangesUpperCaseSpelling()
    {
        var gap = ProcessorGap();
        gap.Symbol = " btcusdt ";

        Assert.Equal("BTCUSDT", Filter().Evaluate(gap).Symbol);
    }

    private static FeedGap Gap(long first, long last)
    {
        var gap = ProcessorGap();
        gap.MissingIds = new IdRange { First = first, Last = last };
        return gap;
    }

    /// <summary>A gap as the taker-volume processor publishes one when a hole times out.</summary>
    private static FeedGap ProcessorGap(string detectedBy = "taker-volume-spot/taker-volume-0") => new()
    {
        Market = Market.Spot,
        Stream = "btcusdt@aggTrade",
        Symbol = "BTCUSDT",
        Kind = FeedGapKind.AggTradeIds,
        MissingIds = new IdRange { First = 1000, Last = 1009 },
        GapStartMs = Now.ToUnixTimeMilliseconds() - 60_000,
        GapEndMs = Now.ToUnixTimeMilliseconds() - 50_000,
        DetectedBy = detectedBy,
        Filled = false,
        DetectedAtUs = Now.ToUnixTimeMilliseconds() * 1000,
        Detail = "aggregate trade ids [1000, 1009] (10) still missing 30000 ms of stream time after the hole was seen",
    };

    private long MicrosecondsAgo(TimeSpan age) => (long)(_clock.GetUtcNow() - age - DateTimeOffset.UnixEpoch).TotalMicroseconds;

    private FeedGapFilter Filter(Action<GapBackfillOptions>? configure = null, Market market = Market.Spot)
    {
        var options = new GapBackfillOptions();
        configure?.Invoke(options);
        return new FeedGapFilter(market, options, _clock);
    }
}
