using System.Buffers;
using System.IO.Pipelines;
using ExchangeSimulator.WebSockets.Protocol;

namespace ExchangeSimulator.Tests.WebSockets.Protocol;

/// <summary>Hand-built client frames and ways to deliver them to a <see cref="WebSocketFrameReader"/>.</summary>
internal static class Frames
{
    public const uint Mask = 0x37FA213D;

    /// <summary>A masked client frame with the RFC 6455 §5.7 example key.</summary>
    public static byte[] Masked(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true, uint mask = Mask)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WebSocketFrameWriter.WriteMaskedFrame(buffer, opcode, payload, mask, fin);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A masked frame with a raw first byte (FIN, RSV bits, any opcode nibble).</summary>
    public static byte[] Raw(byte firstByte, ReadOnlySpan<byte> payload)
    {
        var frame = Masked(WebSocketOpcode.Binary, payload);
        frame[0] = firstByte;
        return frame;
    }

    /// <summary>An unmasked frame, as only a server may send.</summary>
    public static byte[] Unmasked(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WebSocketFrameWriter.WriteFrame(buffer, opcode, payload, fin);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A message as text for comparisons: tuples compare arrays by reference, strings by content.</summary>
    public static string Show((WebSocketOpcode Opcode, byte[] Payload) message) => $"{message.Opcode} {Convert.ToHexString(message.Payload)}";

    /// <summary>Messages as text for comparisons, one string per message.</summary>
    public static List<string> Show(IEnumerable<(WebSocketOpcode Opcode, byte[] Payload)> messages)
    {
        var shown = new List<string>();
        foreach (var message in messages)
        {
            shown.Add(Show(message));
        }

        return shown;
    }

    public static byte[] Concat(params byte[][] parts)
    {
        var total = 0;
        foreach (var part in parts)
        {
            total += part.Length;
        }

        var result = new byte[total];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }

        return result;
    }

    /// <summary>A reader over a pipe already holding <paramref name="bytes"/>; with <paramref name="end"/> the stream then ends.</summary>
    public static async Task<(WebSocketFrameReader Reader, Pipe Pipe)> ReaderOverAsync(byte[] bytes, int maxMessageBytes = 1 << 20, bool end = true)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0));
        await pipe.Writer.WriteAsync(bytes, TestContext.Current.CancellationToken);
        if (end)
        {
            await pipe.Writer.CompleteAsync();
        }

        return (new WebSocketFrameReader(pipe.Reader, maxMessageBytes), pipe);
    }

    /// <summary>Reads until the stream ends, copying every message out.</summary>
    public static async Task<List<(WebSocketOpcode Opcode, byte[] Payload)>> ReadAllAsync(WebSocketFrameReader reader)
    {
        var messages = new List<(WebSocketOpcode, byte[])>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken) is { } message)
        {
            messages.Add((message.Opcode, message.Payload.ToArray()));
        }

        return messages;
    }

    /// <summary>Writes <paramref name="bytes"/> into <paramref name="writer"/> in pieces sized by <paramref name="nextPieceSize"/>, flushing each, then ends it.</summary>
    public static async Task DeliverInPiecesAsync(PipeWriter writer, byte[] bytes, Func<int> nextPieceSize)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var count = Math.Min(nextPieceSize(), bytes.Length - offset);
            await writer.WriteAsync(bytes.AsMemory(offset, count), TestContext.Current.CancellationToken);
            offset += count;
        }

        await writer.CompleteAsync();
    }
}
