using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using ExchangeSimulator.Faults;
using ExchangeSimulator.Streams;
using ExchangeSimulator.WebSockets.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ExchangeSimulator.WebSockets;

/// <summary>
/// One client of the market streams, after the WebSocket handshake. Three loops share the connection:
/// <list type="bullet">
/// <item>receive: every incoming frame counts against the message limit; PINGs are answered with their payload,
/// PONGs settle the server's pings, text frames are SUBSCRIBE/UNSUBSCRIBE/LIST_SUBSCRIPTIONS/SET_PROPERTY/GET_PROPERTY;</item>
/// <item>write: the only writer of the socket; drains the send queue into few large writes, applies injected faults;</item>
/// <item>housekeeping: server PINGs, the pong deadline, the lifetime, the end of a shutdown notice.</item>
/// </list>
/// The publisher hands messages over through <see cref="Deliver"/> without blocking; a client that lets more than
/// <see cref="StreamServerOptions.MaxQueuedMessages"/> pile up is dropped, as Binance drops slow consumers.
/// </summary>
internal sealed class StreamConnection : IStreamSubscriber, IDisposable
{
    private const int FlushThreshold = 64 * 1024;
    private static readonly byte[] MalformedPayload = "{\"e\":\"aggTrade\",\"E\":<malformed>"u8.ToArray();

    private readonly ExchangeRegion _region;
    private readonly StreamRoute _route;
    private readonly HttpContext _context;
    private Stream _transport = Stream.Null;
    private readonly StreamServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _subscriptions = new(StringComparer.Ordinal);
    private readonly Lock _pingLock = new();
    private readonly Queue<(byte[] Payload, long SentAt)> _unansweredPings = new();
    private readonly DateTimeOffset _lifetimeEnd;

    private volatile bool _combined;
    private volatile bool _closing;
    private volatile bool _closeSent;
    private int _queued;
    private long _messagesSent;
    private long _stalledUntilTicks;
    private long _slowUntilTicks;
    private long _slowDelayTicks;
    private long _shutdownAtTicks = long.MaxValue;
    private int _duplicateRemaining;
    private int _reorderRemaining;
    private int _truncateNext;
    private long _pingSequence;
    private long _nextPingAt;
    private int _reason;

    public StreamConnection(long id, ExchangeRegion region, StreamRoute route, HttpContext context, StreamServerOptions options, ILogger logger)
    {
        Id = id;
        _region = region;
        _route = route;
        _context = context;
        _options = options;
        _time = options.TimeProvider;
        _logger = logger;
        _combined = route.Combined;
        ConnectedAt = _time.GetUtcNow();
        _lifetimeEnd = ConnectedAt + options.ConnectionLifetime;
        _nextPingAt = _time.GetTimestamp() + ToTimestampTicks(options.PingInterval);
        RemoteEndPoint = $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";
        Path = context.Request.Path + context.Request.QueryString;
    }

    public long Id { get; }

    public DateTimeOffset ConnectedAt { get; }

    public string RemoteEndPoint { get; }

    public string Path { get; }

    public bool Microseconds => _route.Microseconds;

    public DisconnectReason Reason => (DisconnectReason)_reason;

    public ConnectionInfo Describe()
    {
        int streams;
        lock (_subscriptions)
        {
            streams = _subscriptions.Count;
        }

        return new ConnectionInfo(Id, _region.Name, Path, RemoteEndPoint, ConnectedAt, _combined, Microseconds, streams, Interlocked.Read(ref _messagesSent), Volatile.Read(ref _queued));
    }

    public void Deliver(int streamId, byte[] payload)
    {
        if (_closing)
        {
            return;
        }

        if (Interlocked.Increment(ref _queued) > _options.MaxQueuedMessages)
        {
            Drop(DisconnectReason.SlowConsumer);
            return;
        }

        _outbound.Writer.TryWrite(new Outbound(OutboundKind.Stream, payload, streamId));
    }

    /// <summary>Subscribes the streams of the URL, before the handshake completes, so nothing published after it is missed.</summary>
    public StreamRequestError? SubscribeInitialStreams() => Subscribe(_route.Streams);

    /// <summary>Leaves every stream (idempotent): the publisher stops handing messages over.</summary>
    public void UnsubscribeAll() => Unsubscribe([.. Subscriptions()]);

    /// <summary>Runs the connection over the upgraded <paramref name="transport"/> until it ends; never throws for network failures.</summary>
    public async Task RunAsync(Stream transport, CancellationToken stopping)
    {
        _transport = transport;
        using var stoppingRegistration = stopping.Register(() => Close(1001, "Server stopping", DisconnectReason.ServerStopping));
        var token = _stop.Token;
        var receive = Task.Run(() => ReceiveLoopAsync(token), CancellationToken.None);
        var write = Task.Run(() => WriteLoopAsync(token), CancellationToken.None);
        var housekeeping = Task.Run(() => HousekeepingLoopAsync(token), CancellationToken.None);
        await Task.WhenAny(receive, write).ConfigureAwait(false);
        if (_closing && !_closeSent && !write.IsCompleted)
        {
            // A close is queued (ours or the echo of the client's): let the write loop send it.
            await Task.WhenAny(write, Task.Delay(_options.CloseHandshakeTimeout, _time, CancellationToken.None)).ConfigureAwait(false);
        }

        if (_closeSent && !receive.IsCompleted)
        {
            // We closed first: give the client a moment to answer before hanging up.
            await Task.WhenAny(receive, Task.Delay(_options.CloseHandshakeTimeout, _time, CancellationToken.None)).ConfigureAwait(false);
        }

        var closeReceived = receive.IsCompletedSuccessfully && await receive.ConfigureAwait(false);
        SetReason(closeReceived ? DisconnectReason.ClientClosed : DisconnectReason.ClientGone);

        await _stop.CancelAsync().ConfigureAwait(false);
        _outbound.Writer.TryComplete();
        UnsubscribeAll();
        if (!_closeSent)
        {
            // No close frame went out: reset TCP, as a server that gave up does. After a close frame, returning
            // lets Kestrel flush it and end TCP gracefully (an abort could discard it).
            _context.Abort();
        }

        await Task.WhenAll(receive, write, housekeeping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        StreamLog.Disconnected(_logger, Id, _region.Name, Reason, Interlocked.Read(ref _messagesSent));
    }

    public void Dispose() => _stop.Dispose();

    /// <summary>Injects <paramref name="fault"/> into this connection.</summary>
    public void Apply(ConnectionFault fault)
    {
        var now = _time.GetTimestamp();
        var until = fault.Duration is { } duration ? now + ToTimestampTicks(duration) : long.MaxValue;
        switch (fault.Kind)
        {
            case ConnectionFaultKind.Drop:
                Drop(DisconnectReason.InjectedFault);
                break;
            case ConnectionFaultKind.Stall:
                Volatile.Write(ref _stalledUntilTicks, until);
                break;
            case ConnectionFaultKind.Close:
                Close(fault.CloseCode, fault.Reason ?? (fault.CloseCode == 1011 ? "keepalive ping timeout" : string.Empty), DisconnectReason.InjectedFault);
                break;
            case ConnectionFaultKind.Slow:
                Volatile.Write(ref _slowDelayTicks, ToTimestampTicks(fault.Delay));
                Volatile.Write(ref _slowUntilTicks, until);
                break;
            case ConnectionFaultKind.MalformedJson:
                _outbound.Writer.TryWrite(new Outbound(OutboundKind.Text, MalformedPayload));
                break;
            case ConnectionFaultKind.TruncatedJson:
                _outbound.Writer.TryWrite(new Outbound(OutboundKind.TruncateNextStream, []));
                break;
            case ConnectionFaultKind.TruncatedFrame:
                _outbound.Writer.TryWrite(new Outbound(OutboundKind.TruncatedFrame, MalformedPayload));
                break;
            case ConnectionFaultKind.InvalidFrame:
                _outbound.Writer.TryWrite(new Outbound(OutboundKind.InvalidFrame, "{}"u8.ToArray()));
                break;
            case ConnectionFaultKind.Duplicate:
                Interlocked.Add(ref _duplicateRemaining, fault.Count);
                break;
            case ConnectionFaultKind.Reorder:
                Interlocked.Add(ref _reorderRemaining, fault.Count);
                break;
            case ConnectionFaultKind.ServerShutdown:
                AnnounceShutdown();
                break;
            case ConnectionFaultKind.WithholdStream:
                // Out of the region's delivery list, still in the connection's own list (LIST_SUBSCRIPTIONS shows it).
                if (_region.Directory.TryFind(fault.Stream!, out var withheld))
                {
                    _region.Unsubscribe(withheld, this);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault.Kind, "Unknown fault kind");
        }
    }

    /// <summary>Ends the connection at once (TCP reset, no close frame).</summary>
    public void Drop(DisconnectReason reason)
    {
        SetReason(reason);
        _closing = true;
        _context.Abort();
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Sends a close frame after what is queued; the connection ends when the client answers or the handshake times out.</summary>
    public void Close(int code, string reason, DisconnectReason why)
    {
        SetReason(why);
        if (_closing)
        {
            return;
        }

        _closing = true;
        _outbound.Writer.TryWrite(new Outbound(OutboundKind.Close, Encoding.UTF8.GetBytes(reason), CloseCode: code));
    }

    private void AnnounceShutdown()
    {
        var eventJson = $"{{\"e\":\"serverShutdown\",\"E\":{_time.GetUtcNow().ToUnixTimeMilliseconds()}}}";
        var text = _combined ? $"{{\"stream\":\"!serverShutdown\",\"data\":{eventJson}}}" : eventJson;
        _outbound.Writer.TryWrite(new Outbound(OutboundKind.Text, Encoding.UTF8.GetBytes(text)));
        Volatile.Write(ref _shutdownAtTicks, _time.GetTimestamp() + ToTimestampTicks(_options.ShutdownNoticePeriod));
    }

    /// <returns>True when the client closed with a close frame.</returns>
    private async Task<bool> ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var limiter = new IncomingMessageLimiter(_options.MaxIncomingMessagesPerSecond, _time);
        using var frames = new WebSocketFrameReader(PipeReader.Create(_transport), _options.MaxIncomingMessageBytes);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await WaitWhileStalledAsync(cancellationToken).ConfigureAwait(false);
                var received = await frames.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (received is not { } message)
                {
                    return false;
                }

                if (!limiter.TryAdmit())
                {
                    StreamLog.RateLimited(_logger, Id, _options.MaxIncomingMessagesPerSecond);
                    Close(1008, "Too many requests", DisconnectReason.IncomingRateLimit);
                    return false;
                }

                switch (message.Opcode)
                {
                    case WebSocketOpcode.Ping:
                        _outbound.Writer.TryWrite(new Outbound(OutboundKind.Pong, message.Payload.ToArray()));
                        break;
                    case WebSocketOpcode.Pong:
                        SettlePing(message.Payload.Span);
                        break;
                    case WebSocketOpcode.Close:
                        if (!_closing)
                        {
                            var (status, _) = WebSocketCloseFrame.Parse(message.Payload.Span);
                            Close(status is { } s ? (int)s : 1000, string.Empty, DisconnectReason.ClientClosed);
                        }

                        return true;
                    case WebSocketOpcode.Text or WebSocketOpcode.Binary:
                        Handle(StreamRequest.Parse(message.Payload.Span, _region.Flavor));
                        break;
                }
            }
        }
        catch (WebSocketProtocolException e)
        {
            StreamLog.ProtocolError(_logger, Id, e.Message);
            Close((int)e.CloseStatus, e.Message, DisconnectReason.ProtocolError);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or EndOfStreamException or ObjectDisposedException)
        {
        }

        return false;
    }

    private void Handle(StreamRequest request)
    {
        if (request.Error is { } error)
        {
            Reply(StreamReplies.Error(error, request.IdJson));
            return;
        }

        switch (request.Method)
        {
            case StreamMethod.Subscribe:
                var problem = Subscribe(request.Streams);
                Reply(problem is null ? StreamReplies.Result(request.IdJson) : StreamReplies.Error(problem, request.IdJson));
                break;
            case StreamMethod.Unsubscribe:
                Unsubscribe(request.Streams);
                Reply(StreamReplies.Result(request.IdJson));
                break;
            case StreamMethod.ListSubscriptions:
                Reply(StreamReplies.Result(Subscriptions(), request.IdJson));
                break;
            case StreamMethod.SetProperty:
                _combined = request.PropertyValue;
                Reply(StreamReplies.Result(request.IdJson));
                break;
            case StreamMethod.GetProperty:
                Reply(StreamReplies.Result(_combined, request.IdJson));
                break;
        }
    }

    private void Reply(byte[] json) => _outbound.Writer.TryWrite(new Outbound(OutboundKind.Text, json));

    /// <summary>The streams subscribed now (a copy).</summary>
    public List<string> Subscriptions()
    {
        lock (_subscriptions)
        {
            return [.. _subscriptions];
        }
    }

    private StreamRequestError? Subscribe(IReadOnlyList<string> streams)
    {
        lock (_subscriptions)
        {
            var added = 0;
            foreach (var stream in streams)
            {
                if (!_subscriptions.Contains(stream))
                {
                    added++;
                }
            }

            if (_subscriptions.Count + added > _options.MaxStreamsPerConnection)
            {
                return new StreamRequestError(2, $"Invalid request: too many streams; at most {_options.MaxStreamsPerConnection} per connection");
            }

            foreach (var stream in streams)
            {
                if (_subscriptions.Add(stream)
                    && _region.Directory.TryFind(stream, out var id)
                    && _route.Delivers(stream, _options.LegacyFuturesPathsWithholdKlines))
                {
                    _region.Subscribe(id, this);
                }
            }

            return null;
        }
    }

    private void Unsubscribe(IReadOnlyList<string> streams)
    {
        lock (_subscriptions)
        {
            foreach (var stream in streams)
            {
                if (_subscriptions.Remove(stream) && _region.Directory.TryFind(stream, out var id))
                {
                    _region.Unsubscribe(id, this);
                }
            }
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        var output = PipeWriter.Create(_transport, new StreamPipeWriterOptions(minimumBufferSize: FlushThreshold, leaveOpen: true));
        var reader = _outbound.Reader;
        Outbound? held = null;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    if (item.Kind == OutboundKind.Stream)
                    {
                        Interlocked.Decrement(ref _queued);
                    }

                    if (IsStalled())
                    {
                        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                        await WaitWhileStalledAsync(cancellationToken).ConfigureAwait(false);
                    }

                    if (Volatile.Read(ref _slowUntilTicks) > _time.GetTimestamp())
                    {
                        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                        await Task.Delay(FromTimestampTicks(Volatile.Read(ref _slowDelayTicks)), _time, cancellationToken).ConfigureAwait(false);
                    }

                    switch (item.Kind)
                    {
                        case OutboundKind.Stream:
                            if (held is null && TryTake(ref _reorderRemaining))
                            {
                                held = item;
                                continue;
                            }

                            WriteStream(output, item);
                            if (held is { } earlier)
                            {
                                WriteStream(output, earlier);
                                held = null;
                            }

                            if (TryTake(ref _duplicateRemaining))
                            {
                                WriteStream(output, item);
                            }

                            break;
                        case OutboundKind.Text:
                            WebSocketFrameWriter.WriteFrame(output, WebSocketOpcode.Text, item.Payload);
                            break;
                        case OutboundKind.Ping:
                            WebSocketFrameWriter.WriteFrame(output, WebSocketOpcode.Ping, item.Payload);
                            break;
                        case OutboundKind.Pong:
                            WebSocketFrameWriter.WriteFrame(output, WebSocketOpcode.Pong, item.Payload);
                            break;
                        case OutboundKind.TruncateNextStream:
                            Volatile.Write(ref _truncateNext, 1);
                            break;
                        case OutboundKind.InvalidFrame:
                            output.GetSpan(2)[0] = 0x80 | 0x40 | (byte)WebSocketOpcode.Text;
                            output.GetSpan(2)[1] = (byte)item.Payload.Length;
                            output.Advance(2);
                            output.Write(item.Payload);
                            break;
                        case OutboundKind.TruncatedFrame:
                            WebSocketFrameWriter.WriteHeader(output, WebSocketOpcode.Text, item.Payload.Length * 2L);
                            output.Write(item.Payload);
                            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                            Drop(DisconnectReason.InjectedFault);
                            return;
                        case OutboundKind.Close:
                            WebSocketFrameWriter.WriteClose(output, (WebSocketCloseStatus)item.CloseCode, Encoding.UTF8.GetString(item.Payload));
                            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                            _closeSent = true;
                            return;
                    }

                    if (output.UnflushedBytes >= FlushThreshold)
                    {
                        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private void WriteStream(PipeWriter output, in Outbound item)
    {
        var payload = item.Payload.AsSpan();
        if (Interlocked.Exchange(ref _truncateNext, 0) == 1)
        {
            payload = payload[..(payload.Length / 2)];
        }

        if (_combined)
        {
            var prefix = _region.Directory.CombinedPrefix(item.StreamId);
            WebSocketFrameWriter.WriteHeader(output, WebSocketOpcode.Text, prefix.Length + payload.Length + 1L);
            output.Write(prefix);
            output.Write(payload);
            output.Write("}"u8);
        }
        else
        {
            WebSocketFrameWriter.WriteFrame(output, WebSocketOpcode.Text, payload);
        }

        Interlocked.Increment(ref _messagesSent);
        _region.Metrics.MessageSent(payload.Length);
    }

    private async Task HousekeepingLoopAsync(CancellationToken cancellationToken)
    {
        var tick = TimeSpan.FromTicks(Math.Clamp(
            Math.Min(_options.PingInterval.Ticks, _options.PongTimeout.Ticks) / 4,
            TimeSpan.FromMilliseconds(5).Ticks,
            TimeSpan.FromSeconds(1).Ticks));
        using var timer = new PeriodicTimer(tick, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = _time.GetTimestamp();
                if (_time.GetUtcNow() >= _lifetimeEnd)
                {
                    Close(1001, "Connection lifetime exceeded", DisconnectReason.LifetimeExceeded);
                    continue;
                }

                if (now >= Volatile.Read(ref _shutdownAtTicks))
                {
                    Close(1001, "Server shutdown", DisconnectReason.ServerShutdown);
                    continue;
                }

                if (IsStalled())
                {
                    // A stalled server neither pings nor reads: pings answered meanwhile are not the client's fault.
                    lock (_pingLock)
                    {
                        _unansweredPings.Clear();
                    }

                    _nextPingAt = now + ToTimestampTicks(_options.PingInterval);
                    continue;
                }

                if (PongOverdue(now))
                {
                    StreamLog.PongTimeout(_logger, Id, _options.PongTimeout);
                    Drop(DisconnectReason.PongTimeout);
                    return;
                }

                if (now >= _nextPingAt && !_closing)
                {
                    var payload = Encoding.ASCII.GetBytes((++_pingSequence).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    lock (_pingLock)
                    {
                        _unansweredPings.Enqueue((payload, now));
                    }

                    _outbound.Writer.TryWrite(new Outbound(OutboundKind.Ping, payload));
                    _nextPingAt = now + ToTimestampTicks(_options.PingInterval);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A PONG echoing an outstanding PING settles it and every older one; other PONGs change nothing.</summary>
    private void SettlePing(ReadOnlySpan<byte> payload)
    {
        lock (_pingLock)
        {
            var matched = false;
            foreach (var (sent, _) in _unansweredPings)
            {
                if (payload.SequenceEqual(sent))
                {
                    matched = true;
                    break;
                }
            }

            while (matched && _unansweredPings.TryDequeue(out var oldest) && !payload.SequenceEqual(oldest.Payload))
            {
            }
        }
    }

    private bool PongOverdue(long now)
    {
        lock (_pingLock)
        {
            return _unansweredPings.TryPeek(out var oldest) && _time.GetElapsedTime(oldest.SentAt, now) >= _options.PongTimeout;
        }
    }

    private bool IsStalled() => Volatile.Read(ref _stalledUntilTicks) > _time.GetTimestamp();

    private async Task WaitWhileStalledAsync(CancellationToken cancellationToken)
    {
        while (IsStalled())
        {
            var remaining = FromTimestampTicks(Volatile.Read(ref _stalledUntilTicks) - _time.GetTimestamp());
            await Task.Delay(remaining < TimeSpan.FromMilliseconds(50) ? remaining : TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void SetReason(DisconnectReason reason) => Interlocked.CompareExchange(ref _reason, (int)reason, 0);

    private static bool TryTake(ref int remaining)
    {
        while (true)
        {
            var current = Volatile.Read(ref remaining);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref remaining, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    private long ToTimestampTicks(TimeSpan span) => span == TimeSpan.MaxValue ? long.MaxValue / 2 : (long)(span.TotalSeconds * _time.TimestampFrequency);

    private TimeSpan FromTimestampTicks(long ticks) => TimeSpan.FromSeconds(Math.Max(0, ticks) / (double)_time.TimestampFrequency);
}
