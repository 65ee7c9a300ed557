using System.ComponentModel.DataAnnotations;

namespace Streaming.Serialization;

/// <summary>
/// How services serialize records (configuration section <c>SchemaRegistry</c>). Without a
/// <see cref="Url"/>, records use the registry-less form (plain protobuf, type in headers), the
/// embedded default; with one, Confluent's wire format through that registry.
/// </summary>
public sealed class SchemaRegistrySettings
{
    public const string SectionName = "SchemaRegistry";

    /// <summary>Base URL of the Schema Registry, e.g. https://schema-registry:8081; empty for the registry-less form.</summary>
    public Uri? Url { get; set; }

    public string? BasicAuthUser { get; set; }

    public string? BasicAuthPassword { get; set; }

    /// <summary>PEM file of the CA that signed the registry's certificate; the system store when empty.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>PEM certificate and key for mutual TLS.</summary>
    public string? ClientCertificatePath { get; set; }

    public string? ClientKeyPath { get; set; }

    public SubjectNameStrategy SubjectNameStrategy { get; set; } = SubjectNameStrategy.TopicName;

    /// <summary>
    /// Register schemas on first use. Convenient in development; production registries are often
    /// locked down so that only a release pipeline registers, and producers only look ids up.
    /// </summary>
    public bool AutoRegisterSchemas { get; set; } = true;

    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest record value accepted either way; larger ones are refused with PayloadTooLarge.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 1024 * 1024;
}
