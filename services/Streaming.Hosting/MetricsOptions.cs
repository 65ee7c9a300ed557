namespace Streaming.Hosting;

/// <summary>Which meters <c>GET /metrics</c> exports, bound from <c>Service:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    /// <summary>Prefix of the meters services create for themselves.</summary>
    public const string StreamingMeterPrefix = "Streaming";

    /// <summary>The .NET runtime's built-in meter (GC, thread pool, CPU, memory).</summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>
    /// Meter-name prefixes to export, matched whole dot-separated segments at a time:
    /// <c>Streaming</c> matches <c>Streaming</c> and <c>Streaming.Kafka</c> but not
    /// <c>StreamingX</c>. When not configured, <see cref="StreamingMeterPrefix"/> and
    /// <see cref="RuntimeMeterName"/>. (Null rather than a pre-filled list because the
    /// configuration binder appends to an existing list instead of replacing it.)
    /// </summary>
    public IReadOnlyList<string>? MeterPrefixes { get; set; }

    internal IReadOnlyList<string> EffectiveMeterPrefixes =>
        MeterPrefixes ?? [StreamingMeterPrefix, RuntimeMeterName];
}
