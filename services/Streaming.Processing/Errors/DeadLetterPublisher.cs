using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Contracts.Ops.V1;
using Streaming.Processing.Runtime;
using Streaming.Serialization;

namespace Streaming.Processing.Errors;

/// <summary>
/// Sends a record that cannot be processed to the dead-letter topic: the value is a <see cref="DeadLetter"/> (the
/// original bytes and headers, origin, error), the key is the original key, and headers name the error and origin
/// so tools can filter without decoding. It goes through the same producer as outputs, so the commit waits for it:
/// a dead letter is never lost and the record it replaces is never silently skipped.
/// </summary>
internal sealed class DeadLetterPublisher(RecordCollector collector, string topic, string service, TimeProvider time, ProcessingMetrics metrics)
{
    private static readonly byte[] ContentType = Encoding.UTF8.GetBytes("application/x-protobuf");
    private static readonly byte[] MessageType = Encoding.UTF8.GetBytes(DeadLetter.Descriptor.FullName);

    public void Publish(ConsumeResult<byte[]?, byte[]?> source, DeadLetterErrorKind kind, string error)
    {
        var message = source.Message;
        var failedAt = time.GetUtcNow();
        var letter = new DeadLetter
        {
            SourceTopic = source.Topic,
            SourcePartition = source.Partition.Value,
            SourceOffset = source.Offset.Value,
            Key = ByteString.CopyFrom(message.Key ?? []),
            Value = ByteString.CopyFrom(message.Value ?? []),
            ErrorKind = kind,
            ErrorMessage = error,
            FailedAtUs = failedAt.ToUnixTimeMilliseconds() * 1000,
            Service = service,
            SourceTimestampMs = message.Timestamp.UnixTimestampMs,
        };
        if (message.Headers is { } original)
        {
            foreach (var header in original)
            {
                letter.Headers.Add(new DeadLetterHeader { Key = header.Key, Value = ByteString.CopyFrom(header.GetValueBytes()) });
            }
        }

        var headers = new Headers
        {
            { "content-type", ContentType },
            { "message-type", MessageType },
            { DeadLetterHeaders.ErrorKind, Utf8(kind.ToString()) },
            { DeadLetterHeaders.ErrorMessage, Utf8(error) },
            { DeadLetterHeaders.SourceTopic, Utf8(source.Topic) },
            { DeadLetterHeaders.SourcePartition, Utf8(source.Partition.Value.ToString(CultureInfo.InvariantCulture)) },
            { DeadLetterHeaders.SourceOffset, Utf8(source.Offset.Value.ToString(CultureInfo.InvariantCulture)) },
            { DeadLetterHeaders.FailedAt, Utf8(failedAt.ToString("O", CultureInfo.InvariantCulture)) },
            { SourceTimestamp, Utf8(message.Timestamp.UnixTimestampMs.ToString(CultureInfo.InvariantCulture)) },
        };
        collector.Send(topic, message.Key, letter.ToByteArray(), headers, message.Timestamp.UnixTimestampMs);
        metrics.DeadLettered(kind.ToString());
    }

    /// <summary>The failed record's Kafka timestamp, Unix milliseconds.</summary>
    public const string SourceTimestamp = "dlq.source.timestamp";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
