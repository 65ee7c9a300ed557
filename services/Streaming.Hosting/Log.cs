using Microsoft.Extensions.Logging;

namespace Streaming.Hosting;

/// <summary>
/// Every log event of the library. Event ids are stable (alerts and dashboards select on them):
/// 1xx start-up, 2xx readiness, 3xx metrics.
/// </summary>
internal static partial class Log
{
    /// <summary>The category of events that are not about one type (start-up).</summary>
    public const string Category = "Streaming.Hosting";

    [LoggerMessage(EventId = 100, EventName = "InvalidConfiguration", Level = LogLevel.Critical,
        Message = "Invalid configuration: {Failure}")]
    public static partial void InvalidConfiguration(ILogger logger, string failure);

    [LoggerMessage(EventId = 101, EventName = "StartupFailed", Level = LogLevel.Critical,
        Message = "The service failed to start")]
    public static partial void StartupFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 200, EventName = "ReadinessConditionSet", Level = LogLevel.Information,
        Message = "Readiness condition {Condition} set; still pending: [{PendingConditions}]")]
    public static partial void ReadinessConditionSet(ILogger logger, string condition, string pendingConditions);

    [LoggerMessage(EventId = 201, EventName = "ReadinessConditionReset", Level = LogLevel.Warning,
        Message = "Readiness condition {Condition} reset; the service is not ready")]
    public static partial void ReadinessConditionReset(ILogger logger, string condition);

    [LoggerMessage(EventId = 300, EventName = "MetricNameCollision", Level = LogLevel.Warning,
        Message = "Instrument {InstrumentName} of meter {MeterName} is not exported: its Prometheus name {MetricName} is already taken by an instrument of meter {OtherMeterName}")]
    public static partial void MetricNameCollision(ILogger logger, string instrumentName, string meterName, string metricName, string otherMeterName);

    [LoggerMessage(EventId = 301, EventName = "ObservableInstrumentFailed", Level = LogLevel.Warning,
        Message = "An observable instrument's callback failed during a metrics scrape; its series are missing from this scrape")]
    public static partial void ObservableInstrumentFailed(ILogger logger, Exception exception);
}
