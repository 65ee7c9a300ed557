using System.ComponentModel.DataAnnotations;

namespace DevKafka;

/// <summary>Settings of the embedded Kafka (section <c>DevKafka</c>, or the command-line switches in <see cref="CommandLine"/>).</summary>
internal sealed class DevKafkaOptions
{
    public const string SectionName = "DevKafka";

    /// <summary>Three brokers allow replication factor 3 and leader moves, as in production.</summary>
    [Range(1, 9)]
    public int Brokers { get; set; } = 3;

    /// <summary>Where the bootstrap servers are written once every topic exists; other commands wait for this file.</summary>
    [Required]
    public string BootstrapFile { get; set; } = ".local/devkafka/bootstrap.servers";

    /// <summary>A topic catalog file; the catalog compiled into Streaming.Topics (deploy/topics.yaml) when empty.</summary>
    public string? Catalog { get; set; }

    /// <summary>Kafka's group.initial.rebalance.delay.ms. Zero: a single developer's consumers start at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan GroupInitialRebalanceDelay { get; set; } = TimeSpan.Zero;
}
