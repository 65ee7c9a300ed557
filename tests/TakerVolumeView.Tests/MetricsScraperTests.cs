using System.Net;

namespace TakerVolumeView.Tests;

public sealed class MetricsScraperTests
{
    private const string Exposition = """
        # HELP taker_volume_trades_duplicates_total Trades dropped as repeats.
        # TYPE taker_volume_trades_duplicates_total counter
        taker_volume_trades_duplicates_total{market="spot",task="0_1"} 10
        taker_volume_trades_duplicates_total{market="spot",task="0_2"} 5
        taker_volume_trades_duplicates_total_created{market="spot"} 1700000000
        taker_volume_trades_accepted_total{note="a } and a \" inside"} 1.5e3 1700000000000
        taker_volume_trades_accepted_total 500
        taker_volume_trades_late_total{market="spot"} NaN
        taker_volume_trades_late_total{market="usdm"} 2
        streaming_processing_duplicates_total 99
        taker_volume_gaps_reported_total{market="spot"} 3

        """;

    [Fact]
    public void Parse_SumsEveryLabelSet_IgnoringCommentsOtherMetricsAndNonNumbers()
    {
        var sums = MetricsScraper.Parse(Exposition, MetricsScraper.Names.ToHashSet());

        Assert.Equal(15d, sums[MetricsScraper.Duplicates]);
        Assert.Equal(2000d, sums[MetricsScraper.Accepted]);
        Assert.Equal(2d, sums[MetricsScraper.Late]);
        Assert.Equal(3d, sums[MetricsScraper.GapsReported]);
        Assert.Equal(4, sums.Count);
    }

    [Fact]
    public void Parse_Garbage_GivesNothing()
    {
        var sums = MetricsScraper.Parse("taker_volume_trades_duplicates_total{broken 5\n<html>oops</html>\ntaker_volume_trades_late_total\n", MetricsScraper.Names);

        Assert.Empty(sums);
    }

    [Fact]
    public async Task ScrapeAsync_SumsAcrossEndpoints_AndReportsFailuresWithoutThrowing()
    {
        using var handler = new StubHandler(request => request.RequestUri!.Host switch
        {
            "pod-0" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Exposition) },
            "pod-1" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("taker_volume_trades_duplicates_total 7\n") },
            "pod-2" => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable),
            _ => throw new HttpRequestException("Connection refused"),
        });
        using var http = new HttpClient(handler);
        var scraper = new MetricsScraper(http, [Url("pod-0"), Url("pod-1"), Url("pod-2"), Url("pod-3")], TimeProvider.System);

        var snapshot = await scraper.ScrapeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(22d, snapshot.Duplicates);
        Assert.Equal(2000d, snapshot.Accepted);
        Assert.Equal(2d, snapshot.Late);
        Assert.Equal(3d, snapshot.GapsReported);
        Assert.Equal(2, snapshot.Errors.Count);
        Assert.Contains(snapshot.Errors, e => e.Contains("pod-2", StringComparison.Ordinal) && e.Contains("503", StringComparison.Ordinal));
        Assert.Contains(snapshot.Errors, e => e.Contains("pod-3", StringComparison.Ordinal) && e.Contains("Connection refused", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("taker_volume_event_time_lag_seconds 0.25\ntaker_volume_trades_accepted_total 40\n", 0d)]
    [InlineData("taker_volume_trades_accepted_total 40\nprocess_cpu_seconds_total 3\n", null)]
    public async Task ScrapeAsync_ACounterNotYetIncremented_IsZeroOnlyWhenTheProcessorAnswered(string exposition, double? duplicates)
    {
        // Counters appear on their first increment; the lag gauge is exported at every scrape of the processor.
        using var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(exposition) });
        using var http = new HttpClient(handler);
        var scraper = new MetricsScraper(http, [Url("pod-0")], TimeProvider.System);

        var snapshot = await scraper.ScrapeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(duplicates, snapshot.Duplicates);
        Assert.Equal(duplicates, snapshot.Late);
        Assert.Equal(40d, snapshot.Accepted);
        Assert.Empty(snapshot.Errors);
    }

    [Fact]
    public async Task ScrapeAsync_SlowEndpoint_TimesOutIntoAnError()
    {
        using var handler = new StubHandler(async (_, token) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var http = new HttpClient(handler);
        var scraper = new MetricsScraper(http, [Url("slow")], TimeProvider.System) { Timeout = TimeSpan.FromMilliseconds(100) };

        var snapshot = await scraper.ScrapeAsync(TestContext.Current.CancellationToken);

        Assert.Null(snapshot.Duplicates);
        Assert.Contains("no answer within", Assert.Single(snapshot.Errors), StringComparison.Ordinal);
    }

    private static Uri Url(string host) => new($"http://{host}:9100/metrics");

    private sealed class StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
    {
        public StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond)
            : this((request, _) => Task.FromResult(respond(request)))
        {
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            respond(request, cancellationToken);
    }
}
