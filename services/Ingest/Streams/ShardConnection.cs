using System.Globalization;
using System.Threading.Channels;
using Ingest.Rest;
using Ingest.Sharding;
using Microsoft.Extensions.Logging;
using Streaming.Contracts.Common.V1;

namespace Ingest.Streams;

/// <summary>
/// Keeps one shard's streams flowing on one connection at a time: connects (through the market's connection
/// gate, so new connections respect the exchange's rate), subscribes in paced batches, and replaces the
/// connection when it dies (backoff with jitter), goes silent, is announced to shut down, or reaches its
/// rotation age. Rotation and shutdown are make-before-break: the replacement is subscribed and delivering
/// before the old connection closes; the overlap is removed downstream by id.
/// </summary>
internal sealed partial class ShardConnection
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ReplacementDeadline = TimeSpan.FromSeconds(30);

    private readonly int _shardId;
    private readonly string _family;
    private readonly Market _market;
    private readonly Uri _url;
    private readonly IngestOptions _options;
    private readonly ConnectionGate _gate;
    private readonly ChannelWriter<ReceivedFrame> _frames;
    private readonly Action<ShardConnection, SocketContext, SocketEnd> _onDisconnected;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Backoff _backoff;
    private readonly IngestMetrics _metrics;
    private readonly Lock _streamsLock = new();
    private readonly SortedSet<string> _streams = new(StringComparer.Ordinal);
    private StreamSocket? _active;
    private int _attempt;
    private long _nextRequestId;

    public ShardConnection(
        int shardId,
        string family,
        Market market,
        Uri url,
        IngestOptions options,
        ConnectionGate gate,
        ChannelWriter<ReceivedFrame> frames,
        Action<ShardConnection, SocketContext, SocketEnd> onDisconnected,
        IngestMetrics metrics,
        TimeProvider time,
        ILogger logger)
    {
        _metrics = metrics;
        _shardId = shardId;
        _family = family;
        _market = market;
        _url = url;
        _options = options;
        _gate = gate;
        _frames = frames;
        _onDisconnected = onDisconnected;
        _time = time;
        _logger = logger;
        _backoff = new Backoff(options.ReconnectMinDelay, options.ReconnectMaxDelay);
    }

    public int ShardId => _shardId;

    public int StreamCount
    {
        get
        {
            lock (_streamsLock)
            {
                return _streams.Count;
            }
        }
    }

    /// <summary>The shard's streams now (a copy).</summary>
    public IReadOnlyCollection<string> Streams
    {
        get
        {
            lock (_streamsLock)
            {
                return [.. _streams];
            }
        }
    }

    /// <summary>The connection now delivering, if any.</summary>
    public SocketContext? Active => _active?.Context;

    /// <summary>Changes the shard's streams; a live connection subscribes and unsubscribes at once, a new one starts with the new set.</summary>
    public async Task UpdateStreamsAsync(IReadOnlyCollection<string> subscribe, IReadOnlyCollection<string> unsubscribe, CancellationToken cancellationToken)
    {
        lock (_streamsLock)
        {
            _streams.UnionWith(subscribe);
            _streams.ExceptWith(unsubscribe);
        }

        if (_active is { } socket)
        {
            await SendPacedAsync(socket, "UNSUBSCRIBE", unsubscribe, cancellationToken).ConfigureAwait(false);
            foreach (var stream in unsubscribe)
            {
                socket.Context.KlineLastSeen.TryRemove(stream, out _);
            }

            await SendPacedAsync(socket, "SUBSCRIBE", subscribe, cancellationToken).ConfigureAwait(false);
            ExpectKlines(socket.Context, subscribe);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var socket = await OpenAsync(cancellationToken).ConfigureAwait(false);
            if (socket is null)
            {
                await DelayAsync(_backoff.Next(), cancellationToken).ConfigureAwait(false);
                continue;
            }

            var end = await ServeAsync(socket, cancellationToken).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            var delay = _backoff.Next();
            Log.Disconnected(_logger, _market.ToString(), _shardId, end.Context.ConnectionId, end.End.ToString(), delay);
            _metrics.Reconnected(end.End.CloseStatus is { } status ? ((int)status).ToString(CultureInfo.InvariantCulture) : "reset");
            _onDisconnected(this, end.Context, end.End);
            await DelayAsync(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Serves <paramref name="socket"/> and its replacements until one ends without a replacement.</summary>
    private async Task<(SocketContext Context, SocketEnd End)> ServeAsync(StreamSocket socket, CancellationToken cancellationToken)
    {
        _active = socket;
        var receiving = socket.ReceiveAsync(cancellationToken);
        var openedAt = _time.GetTimestamp();
        _backoff.Reset();
        using var timer = new PeriodicTimer(WatchInterval, _time);
        try
        {
            while (true)
            {
                var tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
                if (await Task.WhenAny(receiving, tick).ConfigureAwait(false) == receiving)
                {
                    var end = await receiving.ConfigureAwait(false);
                    await socket.DisposeAsync().ConfigureAwait(false);
                    return (socket.Context, end);
                }

                await ((Task)tick).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (cancellationToken.IsCancellationRequested)
                {
                    // Stopping: leave politely, so the exchange sees a normal close.
                    await socket.CloseAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                    var ended = await receiving.ConfigureAwait(false);
                    await socket.DisposeAsync().ConfigureAwait(false);
                    return (socket.Context, ended);
                }

                var context = socket.Context;
                var why = context.ShutdownAnnounced ? "server-shutdown"
                    : _time.GetElapsedTime(openedAt) >= _options.RotateAfter ? "rotation"
                    : null;
                if (why is not null)
                {
                    var replacement = await ReplaceAsync(socket, why, cancellationToken).ConfigureAwait(false);
                    if (replacement is not null)
                    {
                        (socket, receiving) = replacement.Value;
                        openedAt = _time.GetTimestamp();
                    }

                    continue;
                }

                if (IsSilent(context, openedAt) is { } silence)
                {
                    Log.Silent(_logger, _market.ToString(), _shardId, context.ConnectionId, silence);
                    await socket.DisposeAsync().ConfigureAwait(false);
                    await receiving.ConfigureAwait(false);
                    return (context, new SocketEnd(null, "silent: " + silence, null));
                }
            }
        }
        finally
        {
            _active = null;
        }
    }

    /// <summary>Opens a replacement, waits until it delivers, then closes the old connection; null when the replacement failed (the old one stays).</summary>
    private async Task<(StreamSocket Socket, Task<SocketEnd> Receiving)?> ReplaceAsync(StreamSocket old, string why, CancellationToken cancellationToken)
    {
        var replacement = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (replacement is null)
        {
            return null;
        }

        var receiving = replacement.ReceiveAsync(cancellationToken);
        var started = _time.GetTimestamp();
        while (Interlocked.Read(ref replacement.Context.DataFrames) == 0 && !receiving.IsCompleted && _time.GetElapsedTime(started) < ReplacementDeadline)
        {
            await DelayAsync(WatchInterval, cancellationToken).ConfigureAwait(false);
        }

        if (receiving.IsCompleted)
        {
            await replacement.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        Log.Replaced(_logger, _market.ToString(), _shardId, old.Context.ConnectionId, replacement.Context.ConnectionId, why);
        _active = replacement;
        await old.CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await old.DisposeAsync().ConfigureAwait(false);
        return (replacement, receiving);
    }

    private string? IsSilent(SocketContext context, long openedAt)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref context.LastDataTimestamp);
        var since = last == 0 ? openedAt : last;
        if (StreamCount > 0 && _time.GetElapsedTime(since, now) > _options.ConnectionSilenceTimeout)
        {
            return "no event for " + _options.ConnectionSilenceTimeout;
        }

        if (_options.KlineSilenceTimeout > TimeSpan.Zero)
        {
            foreach (var (stream, seen) in context.KlineLastSeen)
            {
                if (_time.GetElapsedTime(seen, now) > _options.KlineSilenceTimeout)
                {
                    return $"{stream} silent for {_options.KlineSilenceTimeout}";
                }
            }
        }

        return null;
    }

    private async Task<StreamSocket?> OpenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitTurnAsync(cancellationToken).ConfigureAwait(false);
        var attempt = Interlocked.Increment(ref _attempt);
        var id = string.Create(CultureInfo.InvariantCulture, $"{_market}-{_family}-s{_shardId}-{attempt}");
        var socket = new StreamSocket(new SocketContext(id, _market, _options.Region, _shardId, attempt), _frames, _time, _metrics.FrameDropped);
        try
        {
            await socket.ConnectAsync(_url, cancellationToken).ConfigureAwait(false);
            string[] streams;
            lock (_streamsLock)
            {
                streams = [.. _streams];
            }

            await SendPacedAsync(socket, "SUBSCRIBE", streams, cancellationToken).ConfigureAwait(false);
            ExpectKlines(socket.Context, streams);
            Log.Connected(_logger, _market.ToString(), _shardId, id, streams.Length);
            return socket;
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or HttpRequestException or IOException)
        {
            Log.ConnectFailed(_logger, _market.ToString(), _shardId, id, e.Message);
            await socket.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// Starts the silence clock of every kline stream at its subscription, so a stream that never delivers at all
    /// counts as dead too, not only one that stops.
    /// </summary>
    private void ExpectKlines(SocketContext context, IEnumerable<string> streams)
    {
        var now = _time.GetTimestamp();
        foreach (var stream in streams)
        {
            if (stream.Contains("@kline_", StringComparison.Ordinal))
            {
                context.KlineLastSeen.TryAdd(stream, now);
            }
        }
    }

    private async Task SendPacedAsync(StreamSocket socket, string method, IReadOnlyCollection<string> streams, CancellationToken cancellationToken)
    {
        if (streams.Count == 0)
        {
            return;
        }

        var pause = TimeSpan.FromSeconds(1.0 / _options.ControlMessagesPerSecond);
        foreach (var message in SubscribeBatcher.Batch(method, [.. streams], () => Interlocked.Increment(ref _nextRequestId)))
        {
            await socket.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await DelayAsync(pause, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, _time, cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "{Market} shard {Shard}: connection {Connection} subscribed to {Streams} streams")]
        public static partial void Connected(ILogger logger, string market, int shard, string connection, int streams);

        [LoggerMessage(2, LogLevel.Warning, "{Market} shard {Shard}: connection {Connection} ended ({End}); reconnecting in {Delay}")]
        public static partial void Disconnected(ILogger logger, string market, int shard, string connection, string end, TimeSpan delay);

        [LoggerMessage(3, LogLevel.Warning, "{Market} shard {Shard}: connect {Connection} failed: {Error}")]
        public static partial void ConnectFailed(ILogger logger, string market, int shard, string connection, string error);

        [LoggerMessage(4, LogLevel.Warning, "{Market} shard {Shard}: connection {Connection} is dead: {Why}")]
        public static partial void Silent(ILogger logger, string market, int shard, string connection, string why);

        [LoggerMessage(5, LogLevel.Information, "{Market} shard {Shard}: connection {Old} replaced by {New} ({Why})")]
        public static partial void Replaced(ILogger logger, string market, int shard, string old, string @new, string why);
    }
}
