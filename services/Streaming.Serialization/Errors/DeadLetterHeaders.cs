using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Streaming.Serialization;

/// <summary>
/// Headers that say why a record went to the dead-letter topic and where it came from, so it can be
/// inspected and replayed. The original record's bytes and headers travel unchanged beside them.
/// </summary>
public static class DeadLetterHeaders
{
    public const string ErrorKind = "dlq.error.kind";
    public const string ErrorMessage = "dlq.error.message";
    public const string SourceTopic = "dlq.source.topic";
    public const string SourcePartition = "dlq.source.partition";
    public const string SourceOffset = "dlq.source.offset";
    public const string FailedAt = "dlq.failed.at";

    /// <summary>
    /// The original headers (if any) followed by the dead-letter headers for <paramref name="error"/>.
    /// <c>dlq.failed.at</c> is ISO 8601 UTC from <paramref name="timeProvider"/>.
    /// </summary>
    public static Headers Create(ProtobufSerdeException error, TopicPartitionOffset source, TimeProvider timeProvider, Headers? original = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(timeProvider);

        var headers = new Headers();
        if (original is not null)
        {
            foreach (var header in original)
            {
                headers.Add(header.Key, header.GetValueBytes());
            }
        }

        Add(headers, ErrorKind, error.Kind.ToString());
        Add(headers, ErrorMessage, error.Message);
        Add(headers, SourceTopic, source.Topic);
        Add(headers, SourcePartition, source.Partition.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, SourceOffset, source.Offset.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, FailedAt, timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        return headers;
    }

    private static void Add(Headers headers, string key, string value) => headers.Add(key, Encoding.UTF8.GetBytes(value));
}
