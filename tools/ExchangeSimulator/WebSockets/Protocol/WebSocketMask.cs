using System.Numerics;
using System.Runtime.InteropServices;

namespace ExchangeSimulator.WebSockets.Protocol;

/// <summary>
/// The XOR masking of RFC 6455 §5.3, which is its own inverse. Every client byte passes through here, so it
/// works a vector (or eight bytes) at a time; a frame's payload may arrive in pieces, hence the running offset
/// into the 4-byte key.
/// </summary>
internal static class WebSocketMask
{
    /// <summary>
    /// XORs <paramref name="data"/> in place with the key, starting at key byte <paramref name="offset"/> (0-3).
    /// </summary>
    /// <param name="data">Bytes to mask or unmask in place.</param>
    /// <param name="mask">The four key bytes as they appear on the wire, read in memory order (<see cref="MemoryMarshal.Read{T}(ReadOnlySpan{byte})"/>).</param>
    /// <param name="offset">Index of the key byte that applies to <paramref name="data"/>[0]: payload bytes already processed, modulo 4.</param>
    /// <returns>The key offset for the byte that follows <paramref name="data"/>.</returns>
    public static int Apply(Span<byte> data, uint mask, int offset)
    {
        if (data.IsEmpty)
        {
            return offset;
        }

        // Rotate so that the key byte for data[0] is the first byte in memory; then data[i] pairs with key byte i % 4.
        var shift = (offset & 3) * 8;
        var aligned = BitConverter.IsLittleEndian ? BitOperations.RotateRight(mask, shift) : BitOperations.RotateLeft(mask, shift);
        var wide = ((ulong)aligned << 32) | aligned;
        var i = 0;

        if (Vector.IsHardwareAccelerated && data.Length >= Vector<byte>.Count)
        {
            var key = Vector.AsVectorByte(new Vector<ulong>(wide));
            var last = data.Length - Vector<byte>.Count;
            for (; i <= last; i += Vector<byte>.Count)
            {
                var slice = data.Slice(i, Vector<byte>.Count);
                (new Vector<byte>(slice) ^ key).CopyTo(slice);
            }
        }

        for (; i <= data.Length - sizeof(ulong); i += sizeof(ulong))
        {
            var slice = data.Slice(i, sizeof(ulong));
            MemoryMarshal.Write(slice, MemoryMarshal.Read<ulong>(slice) ^ wide);
        }

        Span<byte> keyBytes = stackalloc byte[sizeof(uint)];
        MemoryMarshal.Write(keyBytes, aligned);
        for (; i < data.Length; i++)
        {
            data[i] ^= keyBytes[i & 3];
        }

        return (offset + data.Length) & 3;
    }
}
