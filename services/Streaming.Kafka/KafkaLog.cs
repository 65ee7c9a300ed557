using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Streaming.Kafka;

/// <summary>Log messages of this library (event ids 11xx).</summary>
internal static partial class KafkaLog
{
    public static void LibRdKafka(ILogger logger, LogMessage message)
    {
        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
            SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        LibRdKafkaMessage(logger, level, message.Name, message.Facility, message.Message);
    }

    public static void ClientError(ILogger logger, Error error)
    {
        if (error.IsFatal)
        {
            FatalClientError(logger, error.Code, error.Reason);
        }
        else
        {
            // librdkafka retries these itself (broker down, transport errors); they are worth seeing, not alarming.
            TransientClientError(logger, error.Code, error.Reason);
        }
    }

    [LoggerMessage(EventId = 1100, Message = "librdkafka {Client} {Facility}: {Text}")]
    private static partial void LibRdKafkaMessage(ILogger logger, LogLevel level, string client, string facility, string text);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Kafka client error {Code}: {Reason}")]
    private static partial void TransientClientError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Critical, Message = "Fatal Kafka client error {Code}: {Reason}")]
    private static partial void FatalClientError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "librdkafka {Version} loaded from {Path} (minimum {Minimum})")]
    public static partial void LibRdKafkaLoaded(ILogger logger, Version version, string path, Version minimum);
}
