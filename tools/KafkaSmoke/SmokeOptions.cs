using System.ComponentModel.DataAnnotations;

namespace KafkaSmoke;

/// <summary>Settings of the smoke run (section <c>Smoke</c>); Kafka itself is configured under <c>Kafka</c>.</summary>
internal sealed class SmokeOptions
{
    public const string SectionName = "Smoke";

    [Range(1, 10_000_000)]
    public int Records { get; set; } = 10_000;

    /// <summary>Distinct keys, spread over the topic's partitions like symbols.</summary>
    [Range(1, 100_000)]
    public int Keys { get; set; } = 200;

    [Required]
    public string Topic { get; set; } = "platform.all.canary.roundtrip.v1";

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(1);
}
