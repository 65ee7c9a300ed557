using System.Security.Cryptography.X509Certificates;

namespace Streaming.Serialization;

/// <summary>How to reach Confluent's Schema Registry.</summary>
public sealed class SchemaRegistryOptions
{
    /// <summary>The registry's base address, e.g. <c>https://registry:8081/</c>.</summary>
    public required Uri Url { get; init; }

    /// <summary>Basic auth user (with <see cref="BasicAuthPassword"/>); none when null.</summary>
    public string? BasicAuthUser { get; init; }

    public string? BasicAuthPassword { get; init; }

    /// <summary>A private CA the registry's certificate must chain to, instead of the system's roots.</summary>
    public X509Certificate2? TrustedCaCertificate { get; init; }

    /// <summary>A client certificate (with its private key) for mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Retries after the first attempt on 5xx, 408, 429, network errors and timeouts.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>First retry delay; each next one doubles, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Limit on one attempt; a timed-out attempt is retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
