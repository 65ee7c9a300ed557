using Ingest.GapBackfill;
using Streaming.Contracts.Common.V1;

namespace Ingest.Tests.GapBackfill;

/// <summary>The gap listener's configuration: one group per market shared by every pod; rules stated under their keys.</summary>
public sealed class GapBackfillOptionsTests
{
    [Fact]
    public void TheDefaultGroup_IsOnePerMarket_TheSameForEveryPod()
    {
        var options = new GapBackfillOptions();

        Assert.True(options.Enabled);
        Assert.Equal("ingest-gap-backfill-spot", options.GroupIdFor(Market.Spot));
        Assert.Equal("ingest-gap-backfill-usdm", options.GroupIdFor(Market.UsdmFutures));
        Assert.Equal("team-x-usdm-gaps", new GapBackfillOptions { GroupId = "team-x-{market}-gaps" }.GroupIdFor(Market.UsdmFutures));
    }

    [Fact]
    public void TheDefaults_AreValid()
    {
        Assert.True(Validate(new IngestOptions { Futures = Futures(enabled: true) }).Succeeded);
    }

    [Fact]
    public void OneGroupForBothMarkets_IsRefused_NamingTheKey()
    {
        var options = new IngestOptions { Futures = Futures(enabled: true) };
        options.GapBackfill.GroupId = "ingest-gaps";

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Ingest:GapBackfill:GroupId: ", StringComparison.Ordinal));

        // With one market, or the listener off, a fixed group is fine.
        options.Futures.Enabled = false;
        Assert.True(Validate(options).Succeeded);
        options.Futures.Enabled = true;
        options.GapBackfill.Enabled = false;
        Assert.True(Validate(options).Succeeded);
    }

    [Theory]
    [InlineData("ingest/")]
    [InlineData("ingest/ingest-a-0")]
    [InlineData("ingest")]
    [InlineData(" ")]
    public void AcceptingTheIngestPodsOwnGaps_OrAnEmptyPrefix_IsRefused_NamingTheKey(string detector)
    {
        var options = new IngestOptions();
        options.GapBackfill.AcceptedDetectors.AddRange(["taker-volume-", detector]);

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Ingest:GapBackfill:AcceptedDetectors:1: ", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Failures!, f => f.Contains("AcceptedDetectors:0", StringComparison.Ordinal));
    }

    private static MarketIngestOptions Futures(bool enabled) => new()
    {
        Enabled = enabled,
        WebSocketUrl = new Uri("wss://fstream.binance.com/"),
        RestUrl = new Uri("https://fapi.binance.com/"),
    };

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(IngestOptions options) =>
        new IngestOptionsValidator().Validate(null, options);
}
