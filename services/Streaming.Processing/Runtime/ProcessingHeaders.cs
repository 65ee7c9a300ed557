using System.Buffers.Binary;
using Confluent.Kafka;

namespace Streaming.Processing.Runtime;

/// <summary>
/// Headers the runtime puts on every output and changelog record. Epoch and revision are 8-byte big-endian
/// integers (like Kafka's own fixed-width fields), so a consumer in any language reads them without a schema.
/// </summary>
public static class ProcessingHeaders
{
    /// <summary>The owner epoch of the task that wrote the record: higher epochs win over lower ones (a zombie's writes lose).</summary>
    public const string Epoch = "streaming.epoch";

    /// <summary>The per-key revision of an output: a replay writes the same revision with the same value, so consumers drop repeats.</summary>
    public const string Revision = "streaming.revision";

    /// <summary>The task that wrote the record, e.g. <c>0_3</c>.</summary>
    public const string Task = "streaming.task";

    /// <summary>Present (value <c>owner</c>) on the marker record a new owner writes to each changelog partition when it takes a task over.</summary>
    public const string Marker = "streaming.marker";

    /// <summary>
    /// The epoch a claim (a marker without an <see cref="Epoch"/> header, in a task's first changelog partition) stands
    /// for: one more than its offset. The log orders claims, so a later claim always out-ranks an earlier one, and two
    /// instances claiming the same task at once cannot take the same epoch.
    /// </summary>
    public static long ClaimEpoch(long offset) => offset + 1;

    public static byte[] EncodeInt64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>The last header <paramref name="key"/> as an 8-byte big-endian integer; null when absent or not 8 bytes.</summary>
    public static long? ReadInt64(Headers? headers, string key)
    {
        if (headers is null)
        {
            return null;
        }

        for (var i = headers.Count - 1; i >= 0; i--)
        {
            var header = headers[i];
            if (string.Equals(header.Key, key, StringComparison.Ordinal))
            {
                var bytes = header.GetValueBytes();
                return bytes is { Length: 8 } ? BinaryPrimitives.ReadInt64BigEndian(bytes) : null;
            }
        }

        return null;
    }
}
