using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Streaming.Hosting.Metrics;
using Streaming.Hosting.Tests.Infrastructure;

namespace Streaming.Hosting.Tests;

/// <summary>GET /metrics on a real server; every scrape is checked by the strict exposition parser.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_Response_HasPrometheusTextContentType()
    {
        await using var app = await TestApp.StartAsync();

        using var response = await app.Client.GetAsync(HostingExtensions.MetricsPath, TestContext.Current.CancellationToken);

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Metrics_Counter_RendersTotalPerTagSet()
    {
        await using var app = await TestApp.StartAsync();
        var counter = CreateMeter(app).CreateCounter<long>("streaming.test.records", "{record}", "Records processed.");

        counter.Add(3, new KeyValuePair<string, object?>("topic", "trades"));
        counter.Add(2, new KeyValuePair<string, object?>("topic", "trades"));
        counter.Add(7, new KeyValuePair<string, object?>("topic", "depth"));
        counter.Add(1);

        var family = (await app.ScrapeAsync())["streaming_test_records_total"];
        Assert.Equal("counter", family.Type);
        Assert.Equal("Records processed.", family.Help);
        Assert.Equal(5, family.Value(("topic", "trades")));
        Assert.Equal(7, family.Value(("topic", "depth")));
        Assert.Equal(1, family.Value());
    }

    [Fact]
    public async Task Metrics_TagsInAnyOrder_ShareOneSeries()
    {
        await using var app = await TestApp.StartAsync();
        var counter = CreateMeter(app).CreateCounter<int>("streaming.test.ordered");
        KeyValuePair<string, object?> symbol = new("symbol", "BTCUSDT"), side = new("side", "buy");

        counter.Add(1, symbol, side);
        counter.Add(1, side, symbol);
        counter.Add(1, side, symbol);

        var family = (await app.ScrapeAsync())["streaming_test_ordered_total"];
        Assert.Equal(3, family.Value(("side", "buy"), ("symbol", "BTCUSDT")));
    }

    [Fact]
    public async Task Metrics_Histogram_RendersCumulativeBucketsSumAndCount()
    {
        await using var app = await TestApp.StartAsync();
        var histogram = CreateMeter(app).CreateHistogram<double>("streaming.test.latency", "s");

        foreach (var seconds in new[] { 0.003, 0.02, 0.025, 3, 20 })
        {
            histogram.Record(seconds);
        }

        var family = (await app.ScrapeAsync())["streaming_test_latency_seconds"];
        Assert.Equal("histogram", family.Type);
        var buckets = family.Buckets().ToDictionary(b => b.UpperBound, b => b.Count);
        Assert.Equal(1, buckets["0.005"]);
        Assert.Equal(1, buckets["0.01"]);
        Assert.Equal(3, buckets["0.025"]); // le is inclusive: 0.025 counts in its own bucket.
        Assert.Equal(3, buckets["2.5"]);
        Assert.Equal(4, buckets["5"]);
        Assert.Equal(4, buckets["10"]);
        Assert.Equal(5, buckets["+Inf"]);
        Assert.Equal(23.048, family.Single("streaming_test_latency_seconds_sum").Value, precision: 9);
        Assert.Equal(5, family.Single("streaming_test_latency_seconds_count").Value);
    }

    [Fact]
    public async Task Metrics_HistogramWithAdvice_UsesAdvisedBuckets()
    {
        await using var app = await TestApp.StartAsync();
        var histogram = CreateMeter(app).CreateHistogram<long>(
            "streaming.test.batch.size", "{record}", null, null, new InstrumentAdvice<long> { HistogramBucketBoundaries = [10, 100] });

        histogram.Record(10);
        histogram.Record(11);
        histogram.Record(1000, new KeyValuePair<string, object?>("topic", "trades"));

        var family = (await app.ScrapeAsync())["streaming_test_batch_size"];
        Assert.Equal([("10", 1.0), ("100", 2.0), ("+Inf", 2.0)], family.Buckets());
        Assert.Equal([("10", 0.0), ("100", 0.0), ("+Inf", 1.0)], family.Buckets(("topic", "trades")));
    }

    [Fact]
    public async Task Metrics_ByteHistogram_UsesByteBuckets()
    {
        await using var app = await TestApp.StartAsync();
        CreateMeter(app).CreateHistogram<int>("streaming.test.message.size", "By").Record(100);

        var family = (await app.ScrapeAsync())["streaming_test_message_size_bytes"];

        Assert.Equal(("64", 0.0), family.Buckets()[0]);
        Assert.Equal(("256", 1.0), family.Buckets()[1]);
    }

    [Fact]
    public async Task Metrics_GaugeAndUpDownCounter_RenderAsGauges()
    {
        await using var app = await TestApp.StartAsync();
        var meter = CreateMeter(app);
        var gauge = meter.CreateGauge<double>("streaming.test.spread", "{price}");
        var inFlight = meter.CreateUpDownCounter<long>("streaming.test.in_flight", "{request}");

        gauge.Record(1.5);
        gauge.Record(2.5);
        inFlight.Add(5);
        inFlight.Add(-2);

        var scrape = await app.ScrapeAsync();
        Assert.Equal("gauge", scrape["streaming_test_spread"].Type);
        Assert.Equal(2.5, scrape["streaming_test_spread"].Value());
        Assert.Equal("gauge", scrape["streaming_test_in_flight"].Type);
        Assert.Equal(3, scrape["streaming_test_in_flight"].Value());
    }

    [Fact]
    public async Task Metrics_ObservableInstruments_AreObservedAtEachScrape()
    {
        await using var app = await TestApp.StartAsync();
        var meter = CreateMeter(app);
        long consumed = 10;
        var lagByPartition = new Dictionary<string, int> { ["0"] = 4, ["1"] = 6 };
        meter.CreateObservableCounter("streaming.test.consumed", () => consumed, "{record}");
        meter.CreateObservableGauge("streaming.test.lag", () => lagByPartition.Select(
            p => new Measurement<int>(p.Value, new KeyValuePair<string, object?>("partition", p.Key))));
        meter.CreateObservableUpDownCounter("streaming.test.connections", () => 2.5);

        var first = await app.ScrapeAsync();
        consumed = 25;
        lagByPartition.Remove("1");
        var second = await app.ScrapeAsync();

        Assert.Equal(10, first["streaming_test_consumed_total"].Value());
        Assert.Equal(25, second["streaming_test_consumed_total"].Value());
        Assert.Equal("counter", second["streaming_test_consumed_total"].Type);
        Assert.Equal(6, first["streaming_test_lag"].Value(("partition", "1")));
        Assert.Equal(["0"], second["streaming_test_lag"].Samples.Select(s => s.Labels["partition"]));
        Assert.Equal(2.5, second["streaming_test_connections"].Value());
    }

    [Fact]
    public async Task Metrics_TagsWithSpecialCharacters_AreSanitizedAndEscaped()
    {
        await using var app = await TestApp.StartAsync();
        var counter = CreateMeter(app).CreateCounter<long>("streaming.test.escaped", null, "Line one\nback\\slash \"quoted\"");
        const string AwkwardValue = "a\"b\\c\nd";

        counter.Add(1, new KeyValuePair<string, object?>("peer.address", AwkwardValue), new("2xx", 200));

        var text = await app.Client.GetStringAsync(HostingExtensions.MetricsPath, TestContext.Current.CancellationToken);
        Assert.Contains("# HELP streaming_test_escaped_total Line one\\nback\\\\slash \"quoted\"\n", text, StringComparison.Ordinal);
        Assert.Contains("streaming_test_escaped_total{key_2xx=\"200\",peer_address=\"a\\\"b\\\\c\\nd\"} 1\n", text, StringComparison.Ordinal);
        var family = PrometheusExposition.Parse(text)["streaming_test_escaped_total"];
        Assert.Equal(1, family.Value(("key_2xx", "200"), ("peer_address", AwkwardValue)));
        Assert.Equal("Line one\nback\\slash \"quoted\"", family.Help);
    }

    [Fact]
    public async Task Metrics_MeterOutsidePrefixes_IsNotExported()
    {
        await using var app = await TestApp.StartAsync();
        var meterFactory = app.Services.GetRequiredService<IMeterFactory>();
        meterFactory.Create("Other.Tests").CreateCounter<long>("other.test.count").Add(1);
        meterFactory.Create("StreamingLookalike").CreateCounter<long>("lookalike.test.count").Add(1);
        CreateMeter(app).CreateCounter<long>("streaming.test.count").Add(1);

        var scrape = await app.ScrapeAsync();

        Assert.Contains("streaming_test_count_total", scrape.Families.Keys);
        Assert.DoesNotContain("other_test_count_total", scrape.Families.Keys);
        Assert.DoesNotContain("lookalike_test_count_total", scrape.Families.Keys);
    }

    [Fact]
    public async Task Metrics_ConfiguredPrefixes_ReplaceTheDefaults()
    {
        await using var app = await TestApp.StartAsync(new KeyValuePair<string, string?>("Service:Metrics:MeterPrefixes:0", "Custom"));
        var meterFactory = app.Services.GetRequiredService<IMeterFactory>();
        meterFactory.Create("Custom.Tests").CreateCounter<long>("custom.test.count").Add(1);
        CreateMeter(app).CreateCounter<long>("streaming.test.count").Add(1);

        var scrape = await app.ScrapeAsync();

        Assert.Contains("custom_test_count_total", scrape.Families.Keys);
        Assert.DoesNotContain("streaming_test_count_total", scrape.Families.Keys);
        Assert.DoesNotContain(scrape.Families.Keys, name => name.StartsWith("dotnet_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_MeterOfAnotherHost_IsNotExported()
    {
        await using var app = await TestApp.StartAsync();
        await using var otherApp = await TestApp.StartAsync();
        CreateMeter(otherApp).CreateCounter<long>("streaming.test.elsewhere").Add(1);

        var scrape = await app.ScrapeAsync();

        Assert.DoesNotContain("streaming_test_elsewhere_total", scrape.Families.Keys);
    }

    [Fact]
    public async Task Metrics_RuntimeMeter_IsExportedAndWellFormed()
    {
        await using var app = await TestApp.StartAsync();

        var scrape = await app.ScrapeAsync();

        Assert.Equal("counter", scrape["dotnet_gc_collections_total"].Type);
        Assert.True(scrape["dotnet_process_memory_working_set_bytes"].Value() > 0);
    }

    [Fact]
    public async Task Metrics_ManyThreadsRecording_TotalsAreExact()
    {
        await using var app = await TestApp.StartAsync();
        var meter = CreateMeter(app);
        var counter = meter.CreateCounter<long>("streaming.test.concurrent");
        var histogram = meter.CreateHistogram<double>("streaming.test.concurrent.size", "By");
        const int Threads = 8, PerThread = 50_000;
        KeyValuePair<string, object?> topic = new("topic", "trades"), partition = new("partition", 3);

        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(thread => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                for (var i = 0; i < PerThread; i++)
                {
                    // Alternate the tag order so that the unordered lookup path races too.
                    if ((thread + i) % 2 == 0)
                    {
                        counter.Add(1, topic, partition);
                    }
                    else
                    {
                        counter.Add(1, partition, topic);
                    }

                    histogram.Record(i % 2 == 0 ? 100 : 5000, topic);
                }
            },
            TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default));
        await Task.WhenAll(workers);

        var scrape = await app.ScrapeAsync();
        Assert.Equal(Threads * PerThread, scrape["streaming_test_concurrent_total"].Value(("partition", "3"), ("topic", "trades")));
        var sizes = scrape["streaming_test_concurrent_size_bytes"];
        Assert.Equal(Threads * PerThread, sizes.Single("streaming_test_concurrent_size_bytes_count", ("topic", "trades")).Value);
        Assert.Equal(Threads * PerThread / 2 * 5100.0, sizes.Single("streaming_test_concurrent_size_bytes_sum", ("topic", "trades")).Value);
    }

    [Fact]
    public async Task Metrics_MoreTagSetsThanTheCap_OverflowIntoOneSeries()
    {
        await using var app = await TestApp.StartAsync();
        var counter = CreateMeter(app).CreateCounter<long>("streaming.test.unbounded");
        const int Extra = 5;

        for (var i = 0; i < SeriesTable.MaxSeries + Extra; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("order", i));
        }

        var family = (await app.ScrapeAsync())["streaming_test_unbounded_total"];
        Assert.Equal(SeriesTable.MaxSeries + 1, family.Samples.Count);
        Assert.Equal(Extra, family.Value(("otel_metric_overflow", "true")));
    }

    private static Meter CreateMeter(TestApp app) =>
        app.Services.GetRequiredService<IMeterFactory>().Create("Streaming.Tests");
}
