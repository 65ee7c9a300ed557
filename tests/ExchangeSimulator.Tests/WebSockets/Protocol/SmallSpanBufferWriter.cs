using System.Buffers;

namespace ExchangeSimulator.Tests.WebSockets.Protocol;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that hands out spans no longer than asked for (or <paramref name="chunk"/>
/// bytes when asked for none), so that writers must cope with output arriving in pieces, as a PipeWriter's can.
/// </summary>
internal sealed class SmallSpanBufferWriter(int chunk) : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[64];
    private int _written;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        var size = sizeHint > 0 ? sizeHint : chunk;
        if (_buffer.Length - _written < size)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _written + size));
        }

        return _buffer.AsMemory(_written, size);
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
