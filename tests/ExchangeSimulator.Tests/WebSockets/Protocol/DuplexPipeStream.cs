using System.Buffers;
using System.IO.Pipelines;

namespace ExchangeSimulator.Tests.WebSockets.Protocol;

/// <summary>
/// One end of an in-memory connection as a <see cref="Stream"/>: reads what the other end wrote into
/// <paramref name="input"/>'s pipe, writes into <paramref name="output"/>'s. Async only, like the peers
/// it serves (.NET's WebSocket never reads synchronously). Disposing ends the output, which the other end
/// reads as a clean end of stream.
/// </summary>
internal sealed class DuplexPipeStream(PipeReader input, PipeWriter output) : Stream
{
    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var sequence = result.Buffer;
            if (!sequence.IsEmpty)
            {
                var count = (int)Math.Min(sequence.Length, buffer.Length);
                sequence.Slice(0, count).CopyTo(buffer.Span);
                input.AdvanceTo(sequence.GetPosition(count));
                return count;
            }

            input.AdvanceTo(sequence.End);
            if (result.IsCompleted)
            {
                return 0;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        await output.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task FlushAsync(CancellationToken cancellationToken) => await output.FlushAsync(cancellationToken);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Async only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Async only.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await output.CompleteAsync();
        await input.CompleteAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            output.Complete();
            input.Complete();
        }

        base.Dispose(disposing);
    }
}
