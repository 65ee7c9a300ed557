using System.ComponentModel.DataAnnotations;
using ExchangeSimulator.Faults;

namespace ExchangeSimulator.Service;

/// <summary>
/// A fault the program injects by itself, <see cref="At"/> after start (section <c>Simulator:Faults:N</c>): any
/// <see cref="ConnectionFaultKind"/>, or <c>RegionDown</c> / <c>RestThrottle</c> for <see cref="Duration"/>. The same
/// faults are available on demand through the control API.
/// </summary>
public sealed class ScheduledFault
{
    public const string RegionDown = "RegionDown";
    public const string RestThrottle = "RestThrottle";

    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan At { get; set; }

    [Required]
    public string Market { get; set; } = "spot";

    [Required]
    public string Region { get; set; } = "a";

    /// <summary>A <see cref="ConnectionFaultKind"/> name, <c>RegionDown</c> or <c>RestThrottle</c>.</summary>
    [Required]
    public string Kind { get; set; } = string.Empty;

    /// <summary>One connection (by control-API id); all of the region when absent.</summary>
    public long? Connection { get; set; }

    public TimeSpan? Duration { get; set; }

    public TimeSpan? Delay { get; set; }

    [Range(1, 1_000_000)]
    public int Count { get; set; } = 1;

    /// <summary>Close code of <c>Close</c>; HTTP status (429 or 418) of <c>RestThrottle</c>.</summary>
    public int? Code { get; set; }

    public string? Reason { get; set; }

    /// <summary><c>Retry-After</c> of <c>RestThrottle</c>.</summary>
    [Range(0, 86_400)]
    public int RetryAfterSeconds { get; set; } = 60;

    /// <summary>The connection fault this describes, or null for <c>RegionDown</c> / <c>RestThrottle</c>.</summary>
    public ConnectionFault? ToConnectionFault() => Enum.TryParse<ConnectionFaultKind>(Kind, ignoreCase: false, out var kind) && Enum.IsDefined(kind)
        ? new ConnectionFault
        {
            Kind = kind,
            Connection = Connection,
            Duration = Duration,
            Delay = Delay ?? TimeSpan.FromMilliseconds(50),
            Count = Count,
            CloseCode = Code ?? 1011,
            Reason = Reason,
        }
        : null;

    /// <summary>What is wrong with this fault, or null.</summary>
    public string? Problem()
    {
        if (Kind == RegionDown)
        {
            return Duration is { } d && d > TimeSpan.Zero ? null : "Duration is required for RegionDown";
        }

        if (Kind == RestThrottle)
        {
            return Code is 429 or 418 && Duration is { } d && d > TimeSpan.Zero ? null : "RestThrottle needs Code 429 or 418 and a Duration";
        }

        return ToConnectionFault() is { } fault
            ? fault.Problem()
            : $"Kind '{Kind}' is not one of {string.Join(", ", Enum.GetNames<ConnectionFaultKind>())}, {RegionDown}, {RestThrottle}";
    }
}
