using System.ComponentModel.DataAnnotations;

namespace Streaming.Hosting;

/// <summary>
/// Settings every service shares, bound from the <c>Service</c> configuration section and
/// validated at start-up.
/// </summary>
public sealed class ServiceOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Service";

    /// <summary>
    /// Address used when neither <c>Service:Urls</c> nor the standard <c>urls</c> /
    /// <c>http_ports</c> settings are given: every interface, so a Kubernetes probe can reach it.
    /// </summary>
    public const string DefaultUrls = "http://0.0.0.0:8080";

    /// <summary>Default of <see cref="ShutdownTimeout"/>: Kubernetes' default grace period.</summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Smallest accepted <see cref="ShutdownTimeout"/>.</summary>
    public const string MinimumShutdownTimeoutText = "00:00:01";

    /// <summary>Largest accepted <see cref="ShutdownTimeout"/>: a stop that takes longer is a hang.</summary>
    public const string MaximumShutdownTimeoutText = "00:10:00";

    /// <summary>
    /// Semicolon-separated addresses the HTTP endpoint (metrics, health) listens on, e.g.
    /// <c>http://0.0.0.0:8080</c>; port 0 picks a free port. Read when
    /// <see cref="HostingExtensions.AddServiceDefaults"/> runs, from the configuration sources
    /// present then. Takes precedence over <c>ASPNETCORE_URLS</c> / <c>--urls</c>.
    /// </summary>
    public string? Urls { get; set; }

    /// <summary>
    /// How long hosted services get to stop before their stopping token is cancelled.
    /// </summary>
    [Range(typeof(TimeSpan), MinimumShutdownTimeoutText, MaximumShutdownTimeoutText,
        ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan ShutdownTimeout { get; set; } = DefaultShutdownTimeout;

    /// <summary>The <c>Service:Metrics</c> subsection.</summary>
    [Required]
    public MetricsOptions Metrics { get; set; } = new();
}
