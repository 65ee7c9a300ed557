using System.Collections.Concurrent;
using ExchangeSimulator.Faults;
using ExchangeSimulator.Market;
using ExchangeSimulator.Streams;
using ExchangeSimulator.WebSockets.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ExchangeSimulator.WebSockets;

/// <summary>
/// One region's WebSocket market-stream server: the connections, who subscribes to what, and the faults that
/// hit this region only. Every region of a market receives the same messages from the same publisher, as the
/// exchange's servers serve the same sequences, but each fails on its own.
/// </summary>
public sealed class ExchangeRegion : IStreamAudience
{
    private readonly IStreamSubscriber[][] _subscribers;
    private readonly Lock _subscribersLock = new();
    private readonly ConcurrentDictionary<long, StreamConnection> _connections = new();
    private readonly StreamServerOptions _options;
    private readonly ILogger _logger;
    private readonly long[] _closedByReason = new long[Enum.GetValues<DisconnectReason>().Max(r => (int)r) + 1];
    private long _nextConnectionId;
    private long _downUntilTicks;

    public ExchangeRegion(string market, string name, MarketFlavor flavor, StreamDirectory directory, StreamServerOptions options, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Name = name;
        Flavor = flavor;
        Directory = directory;
        _options = options;
        _logger = logger;
        Metrics = new RegionMetrics(market, name);
        _subscribers = new IStreamSubscriber[directory.Count][];
        Array.Fill(_subscribers, []);
    }

    public string Name { get; }

    public MarketFlavor Flavor { get; }

    public StreamDirectory Directory { get; }

    public RegionMetrics Metrics { get; }

    /// <summary>Whether the region is taken down (handshakes refused with 503, REST too).</summary>
    public bool IsDown => Volatile.Read(ref _downUntilTicks) > _options.TimeProvider.GetTimestamp();

    public IStreamSubscriber[] SubscribersOf(int streamId) => Volatile.Read(ref _subscribers[streamId]);

    public IReadOnlyList<ConnectionInfo> Connections() => [.. _connections.Values.Select(c => c.Describe()).OrderBy(c => c.Id)];

    /// <summary>The streams connection <paramref name="connectionId"/> is subscribed to now (sorted), or null when it is not open.</summary>
    public IReadOnlyList<string>? Subscriptions(long connectionId) =>
        _connections.TryGetValue(connectionId, out var connection) ? [.. connection.Subscriptions().Order(StringComparer.Ordinal)] : null;

    /// <summary>Connections of this region that have ended for <paramref name="reason"/> so far (e.g. <see cref="DisconnectReason.IncomingRateLimit"/>: 1008).</summary>
    public long ClosedConnections(DisconnectReason reason) =>
        (int)reason >= 0 && (int)reason < _closedByReason.Length ? Interlocked.Read(ref _closedByReason[(int)reason]) : 0;

    /// <summary>Serves a WebSocket handshake on this region's listener and then the connection, until it ends.</summary>
    public async Task HandleAsync(HttpContext context, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsDown)
        {
            Metrics.HandshakeRefused();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var request = context.Request;
        var route = StreamRoute.TryParse(request.Path.Value ?? "/", request.Query["streams"], request.Query["timeUnit"], Flavor, out var problem);
        if (route is null || route.Streams.Count > _options.MaxStreamsPerConnection)
        {
            Metrics.HandshakeRefused();
            context.Response.StatusCode = route is null ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(problem ?? $"At most {_options.MaxStreamsPerConnection} streams per connection", stopping).ConfigureAwait(false);
            return;
        }

        if (!WebSocketHandshake.TryValidate(request, out var acceptKey, out var status, out var reason))
        {
            Metrics.HandshakeRefused();
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status426UpgradeRequired)
            {
                context.Response.Headers["Sec-WebSocket-Version"] = "13";
            }

            await context.Response.WriteAsync(reason, stopping).ConfigureAwait(false);
            return;
        }

        using var connection = new StreamConnection(Interlocked.Increment(ref _nextConnectionId), this, route, context, _options, _logger);
        connection.SubscribeInitialStreams();
        _connections[connection.Id] = connection;
        Metrics.ConnectionOpened();
        StreamLog.Connected(_logger, connection.Id, Name, connection.Path, connection.RemoteEndPoint);
        try
        {
            var transport = await WebSocketHandshake.AcceptAsync(context, acceptKey).ConfigureAwait(false);
            await connection.RunAsync(transport, stopping).ConfigureAwait(false);
        }
        finally
        {
            connection.UnsubscribeAll();
            _connections.TryRemove(connection.Id, out _);
            Metrics.ConnectionClosed(connection.Reason);
            if ((int)connection.Reason is var closedFor && closedFor >= 0 && closedFor < _closedByReason.Length)
            {
                Interlocked.Increment(ref _closedByReason[closedFor]);
            }
        }
    }

    /// <summary>Injects <paramref name="fault"/> into one connection or all; returns how many it hit (0: no such connection).</summary>
    public int Apply(ConnectionFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var targets = fault.Connection is { } id
            ? (_connections.TryGetValue(id, out var one) ? [one] : [])
            : _connections.Values.ToArray();
        foreach (var connection in targets)
        {
            connection.Apply(fault);
        }

        if (targets.Length > 0)
        {
            Metrics.FaultInjected(fault.Kind.ToString());
            StreamLog.FaultInjected(_logger, fault.Kind.ToString(), Name, targets.Length);
        }

        return targets.Length;
    }

    /// <summary>Takes the region down for <paramref name="duration"/>: every connection drops, handshakes and REST get 503.</summary>
    public void TakeDown(TimeSpan duration)
    {
        var time = _options.TimeProvider;
        Volatile.Write(ref _downUntilTicks, time.GetTimestamp() + (long)(duration.TotalSeconds * time.TimestampFrequency));
        Metrics.FaultInjected("RegionDown");
        foreach (var connection in _connections.Values)
        {
            connection.Drop(DisconnectReason.RegionDown);
        }
    }

    /// <summary>Brings a region that was taken down back at once.</summary>
    public void BringUp() => Volatile.Write(ref _downUntilTicks, 0);

    internal void Subscribe(int streamId, IStreamSubscriber subscriber)
    {
        lock (_subscribersLock)
        {
            var current = _subscribers[streamId];
            var next = new IStreamSubscriber[current.Length + 1];
            current.CopyTo(next, 0);
            next[^1] = subscriber;
            Volatile.Write(ref _subscribers[streamId], next);
        }
    }

    internal void Unsubscribe(int streamId, IStreamSubscriber subscriber)
    {
        lock (_subscribersLock)
        {
            var current = _subscribers[streamId];
            var index = Array.IndexOf(current, subscriber);
            if (index < 0)
            {
                return;
            }

            var next = new IStreamSubscriber[current.Length - 1];
            Array.Copy(current, 0, next, 0, index);
            Array.Copy(current, index + 1, next, index, current.Length - index - 1);
            Volatile.Write(ref _subscribers[streamId], next);
        }
    }
}
