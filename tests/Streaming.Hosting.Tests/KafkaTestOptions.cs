using System.ComponentModel.DataAnnotations;

namespace Streaming.Hosting.Tests;

/// <summary>Options shaped like a service's, with nested objects, a list and an enum.</summary>
public sealed class KafkaTestOptions
{
    [Required]
    public ProducerTestOptions Producer { get; set; } = new();

    public List<TopicTestOptions> Topics { get; set; } = [];
}

public sealed class ProducerTestOptions
{
    [Required]
    public string? BootstrapServers { get; set; }

    [Range(0, 60000)]
    public int LingerMs { get; set; } = 5;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public CompressionTestType Compression { get; set; }
}

public sealed class TopicTestOptions
{
    [Required]
    public string? Name { get; set; }

    [Range(1, 1000)]
    public int Partitions { get; set; } = 1;
}

public enum CompressionTestType
{
    None,
    Lz4,
    Zstd,
}
