using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace ExchangeSimulator.WebSockets.Protocol;

/// <summary>
/// Reads client frames (RFC 6455 §5) from the raw upgraded connection and returns every control frame as it
/// arrives, Pings and Pongs included, because the simulator must see and count them itself (the built-in
/// WebSocket answers Pings and swallows Pongs). Data messages come back whole: fragments are unmasked into one
/// pooled buffer that grows on demand up to <c>maxMessageBytes</c>. Payload bytes are consumed from the pipe as
/// they arrive rather than when a frame is complete, so a large frame never needs the pipe to buffer it.
/// Every violation of the protocol throws <see cref="WebSocketProtocolException"/> with the close status to send;
/// after that (or after <see cref="EndOfStreamException"/>) the reader is unusable. One read at a time; it does
/// not complete the <see cref="PipeReader"/>, whose owner is the connection.
/// </summary>
public sealed class WebSocketFrameReader : IDisposable
{
    /// <summary>First rent for a data message; small messages (the usual subscribe requests) never grow it.</summary>
    private const int InitialBufferBytes = 4096;

    private readonly PipeReader _input;
    private readonly int _maxMessageBytes;

    /// <summary>Control payloads live apart so that one arriving between fragments leaves the message buffer alone.</summary>
    private readonly byte[] _control = new byte[WebSocketFrameWriter.MaxControlPayload];

    /// <summary>The data message being assembled; from <see cref="ArrayPool{T}.Shared"/> unless still empty.</summary>
    private byte[] _buffer = [];

    /// <summary>Bytes of the current data message received so far (also valid after it was returned, until the next one starts).</summary>
    private int _messageLength;

    /// <summary>A Text or Binary frame without FIN was seen and the message is not complete yet.</summary>
    private bool _messageOpen;

    private WebSocketOpcode _messageOpcode;

    /// <summary>A header was read and <see cref="_frameRemaining"/> payload bytes of it are still to come.</summary>
    private bool _inFrame;

    private WebSocketOpcode _frameOpcode;
    private bool _frameFin;
    private long _frameRemaining;
    private uint _frameMask;
    private int _maskOffset;
    private int _controlLength;

    private bool _faulted;
    private bool _disposed;

    public WebSocketFrameReader(PipeReader input, int maxMessageBytes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(maxMessageBytes);
        _input = input;
        _maxMessageBytes = maxMessageBytes;
    }

    /// <summary>
    /// The next control frame or complete data message. Control frames that arrive between the fragments of a
    /// data message are returned as they arrive; the partial message keeps accumulating meanwhile.
    /// </summary>
    /// <returns>The message, whose payload is valid until the next call; null when the peer ended the stream cleanly at a frame boundary.</returns>
    /// <exception cref="WebSocketProtocolException">The peer broke the protocol; close with <see cref="WebSocketProtocolException.CloseStatus"/>.</exception>
    /// <exception cref="EndOfStreamException">The stream ended in the middle of a frame.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<WebSocketMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_faulted)
        {
            throw new InvalidOperationException("The reader already failed; the connection must be closed.");
        }

        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            bool complete;
            WebSocketMessage message;
            try
            {
                complete = TryReadMessage(ref buffer, out message);
            }
            catch
            {
                _faulted = true;
                _input.AdvanceTo(buffer.Start, result.Buffer.End);
                throw;
            }

            if (complete)
            {
                _input.AdvanceTo(buffer.Start);
                return message;
            }

            // Everything left is an incomplete header: wait for more bytes than are there now.
            var leftover = buffer.Length;
            _input.AdvanceTo(buffer.Start, result.Buffer.End);
            if (result.IsCompleted)
            {
                if (leftover == 0 && !_inFrame)
                {
                    return null;
                }

                _faulted = true;
                throw new EndOfStreamException("The WebSocket stream ended in the middle of a frame.");
            }

            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The read was canceled through PipeReader.CancelPendingRead.");
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ReturnBuffer();
    }

    /// <summary>
    /// Consumes frames from <paramref name="buffer"/> (advancing it) until a message is complete or the bytes run
    /// out; a partial header is left in place, payload bytes are always taken.
    /// </summary>
    private bool TryReadMessage(ref ReadOnlySequence<byte> buffer, out WebSocketMessage message)
    {
        Span<byte> scratch = stackalloc byte[WebSocketFrameWriter.MaxHeaderLength];
        while (true)
        {
            if (!_inFrame && !TryReadHeader(ref buffer, scratch))
            {
                message = default;
                return false;
            }

            if (_frameRemaining > 0)
            {
                CopyPayload(ref buffer);
                if (_frameRemaining > 0)
                {
                    message = default;
                    return false;
                }
            }

            _inFrame = false;
            if (TryCompleteFrame(out message))
            {
                return true;
            }
        }
    }

    /// <summary>Parses and validates one frame header; false when it is not all there yet.</summary>
    private bool TryReadHeader(ref ReadOnlySequence<byte> buffer, Span<byte> scratch)
    {
        if (buffer.Length < 2)
        {
            return false;
        }

        ReadOnlySpan<byte> header;
        var first = buffer.FirstSpan;
        if (first.Length >= WebSocketFrameWriter.MaxHeaderLength || buffer.IsSingleSegment)
        {
            header = first;
        }
        else
        {
            var available = (int)Math.Min(buffer.Length, WebSocketFrameWriter.MaxHeaderLength);
            buffer.Slice(0, available).CopyTo(scratch);
            header = scratch[..available];
        }

        // Everything the first two bytes can tell is checked before waiting for the rest of the header.
        var b0 = header[0];
        var b1 = header[1];
        if ((b0 & 0x70) != 0)
        {
            throw Violation("RSV bits set but no extension was negotiated.");
        }

        var opcode = (WebSocketOpcode)(b0 & 0x0F);
        var fin = (b0 & 0x80) != 0;
        var control = opcode switch
        {
            WebSocketOpcode.Continuation or WebSocketOpcode.Text or WebSocketOpcode.Binary => false,
            WebSocketOpcode.Close or WebSocketOpcode.Ping or WebSocketOpcode.Pong => true,
            _ => throw Violation("Unknown opcode."),
        };
        if ((b1 & 0x80) == 0)
        {
            throw Violation("Client frames must be masked.");
        }

        var length7 = b1 & 0x7F;
        if (control)
        {
            if (!fin)
            {
                throw Violation("Fragmented control frame.");
            }

            if (length7 > WebSocketFrameWriter.MaxControlPayload)
            {
                throw Violation("Control frame payload over 125 bytes.");
            }
        }
        else if (opcode == WebSocketOpcode.Continuation)
        {
            if (!_messageOpen)
            {
                throw Violation("Continuation frame without a message to continue.");
            }
        }
        else if (_messageOpen)
        {
            throw Violation("New data message before the fragmented one was finished.");
        }

        var headerLength = length7 switch
        {
            126 => 2 + 2 + 4,
            127 => 2 + 8 + 4,
            _ => 2 + 4,
        };
        if (header.Length < headerLength)
        {
            return false;
        }

        long payloadLength = length7;
        if (length7 == 126)
        {
            payloadLength = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        }
        else if (length7 == 127)
        {
            var length64 = BinaryPrimitives.ReadUInt64BigEndian(header[2..]);
            if (length64 > long.MaxValue)
            {
                throw Violation("64-bit payload length with the most significant bit set.");
            }

            payloadLength = (long)length64;
        }

        if (!control)
        {
            if (opcode != WebSocketOpcode.Continuation)
            {
                _messageOpen = true;
                _messageOpcode = opcode;
                _messageLength = 0;
            }

            if (payloadLength > _maxMessageBytes - _messageLength)
            {
                throw new WebSocketProtocolException(WebSocketCloseStatus.MessageTooBig, "Message larger than the server accepts.");
            }
        }

        _inFrame = true;
        _frameOpcode = opcode;
        _frameFin = fin;
        _frameRemaining = payloadLength;
        _frameMask = MemoryMarshal.Read<uint>(header.Slice(headerLength - 4, 4));
        _maskOffset = 0;
        _controlLength = 0;
        buffer = buffer.Slice(headerLength);
        return true;
    }

    /// <summary>Unmasks as much of the current frame's payload as <paramref name="buffer"/> holds into its destination.</summary>
    private void CopyPayload(ref ReadOnlySequence<byte> buffer)
    {
        var take = (int)Math.Min(buffer.Length, _frameRemaining);
        if (take == 0)
        {
            return;
        }

        Span<byte> destination;
        if (_frameOpcode is WebSocketOpcode.Close or WebSocketOpcode.Ping or WebSocketOpcode.Pong)
        {
            destination = _control.AsSpan(_controlLength, take);
            _controlLength += take;
        }
        else
        {
            EnsureCapacity(_messageLength + take);
            destination = _buffer.AsSpan(_messageLength, take);
            _messageLength += take;
        }

        var source = buffer.Slice(0, take);
        source.CopyTo(destination);
        _maskOffset = WebSocketMask.Apply(destination, _frameMask, _maskOffset);
        _frameRemaining -= take;
        buffer = buffer.Slice(take);
    }

    /// <summary>The frame's payload is all in: returns it if it was a control frame or ended a data message.</summary>
    private bool TryCompleteFrame(out WebSocketMessage message)
    {
        switch (_frameOpcode)
        {
            case WebSocketOpcode.Close:
                var close = _control.AsMemory(0, _controlLength);
                WebSocketCloseFrame.Validate(close.Span);
                message = new WebSocketMessage(WebSocketOpcode.Close, close);
                return true;
            case WebSocketOpcode.Ping or WebSocketOpcode.Pong:
                message = new WebSocketMessage(_frameOpcode, _control.AsMemory(0, _controlLength));
                return true;
        }

        if (!_frameFin)
        {
            message = default;
            return false;
        }

        _messageOpen = false;
        var payload = _buffer.AsMemory(0, _messageLength);
        if (_messageOpcode == WebSocketOpcode.Text && !Utf8.IsValid(payload.Span))
        {
            throw new WebSocketProtocolException(WebSocketCloseStatus.InvalidPayloadData, "Text message is not valid UTF-8.");
        }

        message = new WebSocketMessage(_messageOpcode, payload);
        return true;
    }

    /// <summary>Grows the pooled message buffer (doubling, capped at the message limit) and keeps what it holds.</summary>
    private void EnsureCapacity(int required)
    {
        if (_buffer.Length >= required)
        {
            return;
        }

        var doubled = (int)Math.Min(Math.Max(InitialBufferBytes, 2L * _buffer.Length), _maxMessageBytes);
        var size = Math.Max(required, doubled);
        var grown = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _messageLength).CopyTo(grown);
        ReturnBuffer();
        _buffer = grown;
    }

    private void ReturnBuffer()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
    }

    private static WebSocketProtocolException Violation(string message) => new(WebSocketCloseStatus.ProtocolError, message);
}
