using System.Text.Json;

namespace BinanceRecordings;

/// <summary>What a captured line holds.</summary>
public enum CapturedMessageKind
{
    /// <summary>Not set; never produced by a reader.</summary>
    Unspecified = 0,

    /// <summary>A combined-stream WebSocket message; <see cref="CapturedMessage.Payload"/> is its <c>data</c> object.</summary>
    StreamEvent,

    /// <summary>A REST depth snapshot; <see cref="CapturedMessage.Payload"/> is the whole response.</summary>
    DepthSnapshot,
}

/// <summary>
/// One message of a WebSocket/REST capture, with the recorder's receive time, the routing keys
/// read from it, and the exchange's payload bytes untouched (for replay and raw-event topics).
/// Typed views: <see cref="ToAggTrade"/>, <see cref="ToTrade"/>, <see cref="ToDepthUpdate"/>,
/// <see cref="ToKline"/>, <see cref="ToDepthSnapshot"/>.
/// </summary>
public sealed record CapturedMessage
{
    /// <summary>The file path or source name the reader was given.</summary>
    public required string Source { get; init; }

    /// <summary>1-based line in the capture.</summary>
    public required long LineNumber { get; init; }

    /// <summary>The recorder's local receive time, nanoseconds since the epoch (its clock, not the exchange's).</summary>
    public required long ReceiveTimeNs { get; init; }

    /// <summary>Stream event or REST snapshot.</summary>
    public required CapturedMessageKind Kind { get; init; }

    /// <summary>The combined-stream name, e.g. "btcusdt@depth@100ms"; null for REST snapshots.</summary>
    public string? Stream { get; init; }

    /// <summary>
    /// Upper-case symbol: the payload's <c>s</c>, else the stream name's prefix, else the REST
    /// URL's <c>symbol</c> parameter; null when the capture does not say (hftbacktest snapshots).
    /// </summary>
    public string? Symbol { get; init; }

    /// <summary>
    /// The payload's <c>e</c> ("aggTrade", "trade", "depthUpdate", "kline", ...); for payloads without
    /// one (spot bookTicker), the stream name after its first '@'; "depthSnapshot" for snapshots.
    /// </summary>
    public required string EventType { get; init; }

    /// <summary>The payload's <c>E</c>, when it has one.</summary>
    public long? EventTimeMs { get; init; }

    /// <summary>The exchange's JSON bytes exactly as recorded: the <c>data</c> object, or the REST response.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Parses the payload as an aggTrade event.</summary>
    /// <exception cref="RecordingFormatException">The payload is not one.</exception>
    public AggTradeRecord ToAggTrade() => Parse(static json => PayloadParser.ParseAggTrade(json));

    /// <summary>Parses the payload as a trade event.</summary>
    /// <exception cref="RecordingFormatException">The payload is not one.</exception>
    public TradeRecord ToTrade() => Parse(static json => PayloadParser.ParseTrade(json));

    /// <summary>Parses the payload as a depthUpdate event.</summary>
    /// <exception cref="RecordingFormatException">The payload is not one.</exception>
    public DepthUpdateRecord ToDepthUpdate() => Parse(static json => PayloadParser.ParseDepthUpdate(json));

    /// <summary>Parses the payload as a kline event.</summary>
    /// <exception cref="RecordingFormatException">The payload is not one.</exception>
    public KlineRecord ToKline() => Parse(static json => PayloadParser.ParseKline(json));

    /// <summary>Parses the payload as a REST depth snapshot.</summary>
    /// <exception cref="RecordingFormatException">The payload is not one.</exception>
    public DepthSnapshot ToDepthSnapshot() => Parse(static json => PayloadParser.ParseDepthSnapshot(json));

    private T Parse<T>(Func<ReadOnlyMemory<byte>, T> parse)
    {
        try
        {
            return parse(Payload);
        }
        catch (Exception error) when (error is JsonException or FormatException or InvalidOperationException)
        {
            throw new RecordingFormatException(Source, LineNumber, $"{EventType} payload: {error.Message}", error);
        }
    }
}
