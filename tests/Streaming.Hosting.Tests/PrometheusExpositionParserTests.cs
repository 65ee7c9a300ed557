using Streaming.Hosting.Tests.Infrastructure;

namespace Streaming.Hosting.Tests;

/// <summary>The test parser must reject what Prometheus would reject, or the metrics tests prove nothing.</summary>
public sealed class PrometheusExpositionParserTests
{
    private const string ValidHistogram =
        "# HELP latency_seconds Latency.\n" +
        "# TYPE latency_seconds histogram\n" +
        "latency_seconds_bucket{topic=\"a\",le=\"0.5\"} 1\n" +
        "latency_seconds_bucket{topic=\"a\",le=\"+Inf\"} 2\n" +
        "latency_seconds_sum{topic=\"a\"} 1.25\n" +
        "latency_seconds_count{topic=\"a\"} 2\n";

    [Fact]
    public void Parse_WellFormedExposition_ReturnsFamiliesAndSamples()
    {
        var exposition = PrometheusExposition.Parse(
            ValidHistogram +
            "# TYPE records_total counter\n" +
            "records_total{path=\"C:\\\\x\",quote=\"say \\\"hi\\\"\",multi=\"a\\nb\"} 3 1700000000000\n" +
            "# a plain comment\n" +
            "untyped_thing -1.5e-3\n");

        Assert.Equal(3, exposition["records_total"].Value(("path", "C:\\x"), ("quote", "say \"hi\""), ("multi", "a\nb")));
        Assert.Equal([("0.5", 1.0), ("+Inf", 2.0)], exposition["latency_seconds"].Buckets(("topic", "a")));
        Assert.Equal(-0.0015, exposition["untyped_thing"].Value());
    }

    [Theory]
    [InlineData("1metric 1\n", "Invalid metric name")]
    [InlineData("metric{1label=\"x\"} 1\n", "Invalid label name")]
    [InlineData("metric{__name=\"x\"} 1\n", "Invalid label name")]
    [InlineData("metric{a=\"x\"y\"} 1\n", "Expected , or }")]
    [InlineData("metric{a=\"x\\t\"} 1\n", "Invalid escape")]
    [InlineData("metric{a=\"x\",} 1\n", "Invalid label name")]
    [InlineData("metric{a=\"x\",a=\"y\"} 1\n", "repeated")]
    [InlineData("metric{a=\"x\"} one\n", "Invalid value")]
    [InlineData("metric  1\n", "Invalid value")]
    [InlineData("metric 1", "does not end with a line feed")]
    [InlineData("metric 1\n\n", "Invalid metric name")]
    [InlineData("metric 1\nmetric 2\n", "Duplicate series")]
    [InlineData("a 1\nb 1\na 2\n", "appears again")]
    [InlineData("a 1\n# TYPE a gauge\n", "Metadata after")]
    [InlineData("# TYPE a gauge\n# TYPE a gauge\na 1\n", "second TYPE")]
    [InlineData("# TYPE a meter\na 1\n", "Unknown type")]
    [InlineData("# TYPE a_total counter\na_total -1\n", "Negative counter")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 2\n", "not ascending and cumulative")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_sum 1\nh_count 2\n", "+Inf")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n", "+Inf bucket equal to _count")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n", "no _sum")]
    public void Parse_MalformedExposition_Throws(string text, string expectedReason)
    {
        var exception = Assert.Throws<FormatException>(() => PrometheusExposition.Parse(text));

        Assert.Contains(expectedReason, exception.Message, StringComparison.Ordinal);
    }
}
