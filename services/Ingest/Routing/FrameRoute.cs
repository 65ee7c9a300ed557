namespace Ingest.Routing;

/// <summary>
/// Where the interesting parts of one frame are, found without materializing the JSON. Strings are byte
/// ranges into the frame (so the caller slices the buffer it already holds instead of allocating), and
/// numbers are parsed because the sequencers need them on every message. Absent numbers are
/// <see cref="Absent"/> rather than nullable so the struct stays flat; only <c>pu</c> is nullable because
/// its absence is meaningful (Spot has none) and <c>DepthContinuity</c> takes it as is.
/// </summary>
public readonly struct FrameRoute
{
    /// <summary>The value of a numeric field that the frame does not carry.</summary>
    public const long Absent = long.MinValue;

    public FrameKind Kind { get; init; }

    /// <summary>
    /// The inner event (<c>data</c> of a combined-stream message, else the whole frame): the exact bytes to
    /// publish, so consumers see what Binance sent, byte for byte.
    /// </summary>
    public Range Data { get; init; }

    /// <summary>Whether the frame was a combined-stream message <c>{"stream":…,"data":…}</c>.</summary>
    public bool IsCombined { get; init; }

    /// <summary>The stream name's content (without quotes) of a combined-stream message; default otherwise.</summary>
    public Range Stream { get; init; }

    /// <summary>The content of <c>"e"</c>; default when the event has none (Spot bookTicker).</summary>
    public Range EventType { get; init; }

    /// <summary>The content of <c>"s"</c>; default when absent. The Kafka key, so it is kept even for <see cref="FrameKind.Other"/>.</summary>
    public Range Symbol { get; init; }

    /// <summary><c>E</c>, in the connection's time unit (ms, or µs with <c>timeUnit=MICROSECOND</c>): passed on, not converted.</summary>
    public long EventTime { get; init; }

    /// <summary>aggTrade <c>a</c> (a number there; depth's <c>a</c> is the asks array and is skipped).</summary>
    public long AggregateId { get; init; }

    /// <summary><c>T</c>: aggTrade trade time; USD-M depthUpdate transaction time.</summary>
    public long TradeTime { get; init; }

    /// <summary>depthUpdate <c>U</c>.</summary>
    public long FirstUpdateId { get; init; }

    /// <summary>depthUpdate <c>u</c>.</summary>
    public long FinalUpdateId { get; init; }

    /// <summary>USD-M depthUpdate <c>pu</c>; null on Spot.</summary>
    public long? PreviousFinalUpdateId { get; init; }

    /// <summary>kline <c>k.t</c>, the candle's open time.</summary>
    public long KlineOpenTime { get; init; }

    /// <summary>kline <c>k.x</c>: only a closed candle holds final totals.</summary>
    public bool KlineClosed { get; init; }

    /// <summary>The numeric <c>id</c> of a <see cref="FrameKind.Reply"/> or <see cref="FrameKind.Error"/>; <see cref="Absent"/> for null or string ids.</summary>
    public long RequestId { get; init; }

    public bool HasSymbol => !Symbol.Equals(default);
}
