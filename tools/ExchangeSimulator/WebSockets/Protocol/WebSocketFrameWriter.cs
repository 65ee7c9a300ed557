using System.Buffers;
using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace ExchangeSimulator.WebSockets.Protocol;

/// <summary>
/// Writes RFC 6455 frames into any <see cref="IBufferWriter{T}"/> (a PipeWriter, an ArrayBufferWriter),
/// leaving flushing to the caller so that several frames can go out in one write. It checks nothing about
/// the frame it is asked for (control frame sizes, FIN, opcode order): the simulator must be able to send
/// malformed and truncated frames on purpose, e.g. a header announcing more payload than follows.
/// </summary>
public static class WebSocketFrameWriter
{
    /// <summary>Largest header: 2 bytes, 8 bytes of extended length, 4 bytes of mask key.</summary>
    internal const int MaxHeaderLength = 14;

    /// <summary>Longest payload a control frame may carry (RFC 6455 §5.5).</summary>
    internal const int MaxControlPayload = 125;

    /// <summary>Length of an unmasked (server) frame header for a payload of <paramref name="payloadLength"/> bytes: 2, 4 or 10.</summary>
    public static int HeaderLength(long payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        return payloadLength switch
        {
            <= 125 => 2,
            <= ushort.MaxValue => 4,
            _ => 10,
        };
    }

    /// <summary>
    /// An unmasked server frame header announcing <paramref name="payloadLength"/> bytes; the caller writes
    /// the payload (or, for fault injection, less of it).
    /// </summary>
    public static void WriteHeader(IBufferWriter<byte> output, WebSocketOpcode opcode, long payloadLength, bool fin = true)
    {
        ArgumentNullException.ThrowIfNull(output);
        var length = HeaderLength(payloadLength);
        var span = output.GetSpan(length);
        WriteHeaderCore(span, opcode, payloadLength, fin, masked: false);
        output.Advance(length);
    }

    /// <summary>One unmasked server frame carrying all of <paramref name="payload"/>.</summary>
    public static void WriteFrame(IBufferWriter<byte> output, WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true)
    {
        WriteHeader(output, opcode, payload.Length, fin);
        output.Write(payload);
    }

    /// <summary>
    /// A Close frame: the 2-byte big-endian status, then the UTF-8 reason cut at a character boundary so that
    /// the payload fits the 125 bytes of a control frame (unpaired surrogates become U+FFFD).
    /// <see cref="WebSocketCloseStatus.Empty"/> writes a Close frame without payload (and without the reason).
    /// </summary>
    public static void WriteClose(IBufferWriter<byte> output, WebSocketCloseStatus status, string? reason)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (status == WebSocketCloseStatus.Empty)
        {
            WriteFrame(output, WebSocketOpcode.Close, []);
            return;
        }

        ArgumentOutOfRangeException.ThrowIfNegative((int)status, nameof(status));
        ArgumentOutOfRangeException.ThrowIfGreaterThan((int)status, ushort.MaxValue, nameof(status));
        Span<byte> payload = stackalloc byte[MaxControlPayload];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)status);
        var reasonBytes = 0;
        if (!string.IsNullOrEmpty(reason))
        {
            // Utf8.FromUtf16 writes whole scalars only, so DestinationTooSmall leaves a clean cut.
            _ = Utf8.FromUtf16(reason, payload[2..], out _, out reasonBytes, replaceInvalidSequences: true, isFinalBlock: true);
        }

        WriteFrame(output, WebSocketOpcode.Close, payload[..(2 + reasonBytes)]);
    }

    /// <summary>
    /// A masked frame as a client sends it, for tests and simulated clients. <paramref name="maskKey"/> goes on
    /// the wire big-endian: key byte 0 is its most significant byte.
    /// </summary>
    public static void WriteMaskedFrame(IBufferWriter<byte> output, WebSocketOpcode opcode, ReadOnlySpan<byte> payload, uint maskKey, bool fin = true)
    {
        ArgumentNullException.ThrowIfNull(output);
        var headerLength = HeaderLength(payload.Length) + 4;
        var header = output.GetSpan(headerLength);
        WriteHeaderCore(header, opcode, payload.Length, fin, masked: true);
        var key = header.Slice(headerLength - 4, 4);
        BinaryPrimitives.WriteUInt32BigEndian(key, maskKey);
        var mask = MemoryMarshal.Read<uint>(key);
        output.Advance(headerLength);

        var offset = 0;
        while (!payload.IsEmpty)
        {
            var span = output.GetSpan();
            var count = Math.Min(span.Length, payload.Length);
            var chunk = span[..count];
            payload[..count].CopyTo(chunk);
            offset = WebSocketMask.Apply(chunk, mask, offset);
            output.Advance(count);
            payload = payload[count..];
        }
    }

    /// <summary>Writes the header into <paramref name="span"/>; when masked, leaves the 4 key bytes after the length for the caller.</summary>
    private static void WriteHeaderCore(Span<byte> span, WebSocketOpcode opcode, long payloadLength, bool fin, bool masked)
    {
        span[0] = (byte)((fin ? 0x80 : 0) | ((byte)opcode & 0x0F));
        var maskBit = masked ? 0x80 : 0;
        if (payloadLength <= 125)
        {
            span[1] = (byte)(maskBit | (int)payloadLength);
        }
        else if (payloadLength <= ushort.MaxValue)
        {
            span[1] = (byte)(maskBit | 126);
            BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)payloadLength);
        }
        else
        {
            span[1] = (byte)(maskBit | 127);
            BinaryPrimitives.WriteUInt64BigEndian(span[2..], (ulong)payloadLength);
        }
    }
}
