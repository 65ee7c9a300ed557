using Streaming.Hosting.Metrics;

namespace Streaming.Hosting.Tests;

public sealed class PrometheusNamingTests
{
    [Theory]
    [InlineData("streaming.kafka.produce.duration", "s", nameof(InstrumentKind.Histogram), "streaming_kafka_produce_duration_seconds")]
    [InlineData("http.server.request.duration", "ms", nameof(InstrumentKind.Histogram), "http_server_request_duration_milliseconds")]
    [InlineData("streaming.kafka.message.size", "By", nameof(InstrumentKind.Histogram), "streaming_kafka_message_size_bytes")]
    [InlineData("streaming.kafka.records.produced", "{record}", nameof(InstrumentKind.Counter), "streaming_kafka_records_produced_total")]
    [InlineData("streaming.kafka.sent", "By", nameof(InstrumentKind.Counter), "streaming_kafka_sent_bytes_total")]
    [InlineData("streaming.kafka.bytes.sent", "By", nameof(InstrumentKind.Counter), "streaming_kafka_bytes_sent_total")]
    [InlineData("process.cpu.time", "s", nameof(InstrumentKind.Counter), "process_cpu_time_seconds_total")]
    [InlineData("streaming.requests.total", null, nameof(InstrumentKind.Counter), "streaming_requests_total")]
    [InlineData("streaming.consumer.lag", "{record}", nameof(InstrumentKind.Gauge), "streaming_consumer_lag")]
    [InlineData("streaming.queue.depth", "{message}", nameof(InstrumentKind.UpDownCounter), "streaming_queue_depth")]
    [InlineData("streaming.cache.hits", "1", nameof(InstrumentKind.Gauge), "streaming_cache_hits_ratio")]
    [InlineData("streaming.cache.hit_ratio", "1", nameof(InstrumentKind.Gauge), "streaming_cache_hit_ratio")]
    [InlineData("streaming.items", "1", nameof(InstrumentKind.Counter), "streaming_items_total")]
    [InlineData("streaming.throughput", "By/s", nameof(InstrumentKind.Gauge), "streaming_throughput_bytes_per_second")]
    [InlineData("streaming.packets", "{packet}/s", nameof(InstrumentKind.Gauge), "streaming_packets_per_second")]
    [InlineData("streaming.latency.seconds", "s", nameof(InstrumentKind.Histogram), "streaming_latency_seconds")]
    [InlineData("streaming.wait.milliseconds", "s", nameof(InstrumentKind.Gauge), "streaming_wait_milliseconds_seconds")]
    [InlineData("streaming.memory", "MiBy", nameof(InstrumentKind.UpDownCounter), "streaming_memory_mebibytes")]
    [InlineData("streaming.temperature", "Cel", nameof(InstrumentKind.Gauge), "streaming_temperature_celsius")]
    [InlineData("streaming.weird--name..here", null, nameof(InstrumentKind.Gauge), "streaming_weird_name_here")]
    [InlineData("9lives", null, nameof(InstrumentKind.Gauge), "_9lives")]
    [InlineData("streaming.résumé", null, nameof(InstrumentKind.Gauge), "streaming_r_sum_")]
    public void GetMetricName_InstrumentNameAndUnit_FollowsOpenTelemetryConventions(string name, string? unit, string kind, string expected) =>
        Assert.Equal(expected, PrometheusNaming.GetMetricName(name, unit, Enum.Parse<InstrumentKind>(kind)));

    [Theory]
    [InlineData("topic", "topic")]
    [InlineData("peer.address", "peer_address")]
    [InlineData("error-type", "error_type")]
    [InlineData("2xx", "key_2xx")]
    [InlineData("__reserved", "key___reserved")]
    [InlineData("_private", "_private")]
    public void SanitizeLabelName_TagKey_IsAValidLabelName(string key, string expected) =>
        Assert.Equal(expected, PrometheusNaming.SanitizeLabelName(key));

    [Fact]
    public void EscapeLabelValue_BackslashQuoteAndNewline_AreEscaped() =>
        Assert.Equal("a\\\\b\\\"c\\nd", PrometheusTextWriter.EscapeLabelValue("a\\b\"c\nd"));

    [Fact]
    public void FormatLabels_KeysCollidingAfterSanitizing_AreMergedInKeyOrder()
    {
        KeyValuePair<string, object?>[] tags = [new("a_b", "second"), new("a.b", "first"), new("z", 1)];

        Assert.Equal("a_b=\"first;second\",z=\"1\"", PrometheusTextWriter.FormatLabels(tags));
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e21, "1E+21")]
    [InlineData(-2.5, "-2.5")]
    public void FormatDouble_Value_UsesPrometheusSpelling(double value, string expected) =>
        Assert.Equal(expected, PrometheusTextWriter.FormatDouble(value));
}
