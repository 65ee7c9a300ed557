using System.Buffers;

namespace Ingest.Streams;

/// <summary>
/// One complete text frame as read from a socket, in a buffer rented from <see cref="ArrayPool{T}.Shared"/>: whoever
/// takes it from the channel owns the buffer and calls <see cref="Release"/> when done.
/// </summary>
internal readonly struct ReceivedFrame(byte[] buffer, int length, long receivedAtUs, long sequence, SocketContext socket)
{
    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

    public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, length);

    /// <summary>When the frame's last byte was read: UTC microseconds since the epoch.</summary>
    public long ReceivedAtUs => receivedAtUs;

    /// <summary>1 for the connection's first frame, +1 for each next.</summary>
    public long Sequence => sequence;

    public SocketContext Socket => socket;

    public void Release() => ArrayPool<byte>.Shared.Return(buffer);
}
