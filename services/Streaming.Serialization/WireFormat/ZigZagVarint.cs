namespace Streaming.Serialization.WireFormat;

/// <summary>
/// Zig-zag encoded base-128 varints (protobuf's sint32), the encoding of Confluent's message-index
/// array. Values are limited to 32 bits: a longer varint is malformed.
/// </summary>
internal static class ZigZagVarint
{
    /// <summary>The most bytes a 32-bit varint takes.</summary>
    public const int MaxLength = 5;

    public static int Length(int value)
    {
        var raw = Encode(value);
        var length = 1;
        while (raw >= 0x80)
        {
            raw >>= 7;
            length++;
        }

        return length;
    }

    public static int Write(int value, Span<byte> destination)
    {
        var raw = Encode(value);
        var written = 0;
        while (raw >= 0x80)
        {
            destination[written++] = (byte)(raw | 0x80);
            raw >>= 7;
        }

        destination[written++] = (byte)raw;
        return written;
    }

    /// <summary>Reads one value; false when the bytes end inside it or it runs past 32 bits (<paramref name="overflow"/>).</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out int value, out int consumed, out bool overflow)
    {
        uint raw = 0;
        value = 0;
        overflow = false;
        for (consumed = 0; consumed < source.Length; consumed++)
        {
            var current = source[consumed];
            if (consumed == MaxLength - 1 && current > 0x0F)
            {
                overflow = true;
                return false;
            }

            raw |= (uint)(current & 0x7F) << (7 * consumed);
            if (current < 0x80)
            {
                consumed++;
                value = (int)(raw >> 1) ^ -(int)(raw & 1);
                return true;
            }
        }

        return false;
    }

    private static uint Encode(int value) => (uint)((value << 1) ^ (value >> 31));
}
