using ExchangeSimulator.Market;

namespace ExchangeSimulator.Replay;

/// <summary>
/// One recorded event, ready to emit: exactly one of <see cref="Trade"/>, <see cref="Depth"/>, <see cref="Kline"/>.
/// <see cref="TimeUs"/>, <see cref="FileIndex"/>, <see cref="Sequence"/> order the replay.
/// </summary>
internal sealed record ReplayEvent
{
    /// <summary>When it is emitted: the event's <c>E</c> (for archive trades, which have none, <c>T</c>; for archive klines, the close time).</summary>
    public required long TimeUs { get; init; }

    /// <summary>Position of its file in the replay's list: first tie-break.</summary>
    public required int FileIndex { get; init; }

    /// <summary>Its line (or row) in the file: second tie-break.</summary>
    public required long Sequence { get; init; }

    public AggregateTrade? Trade { get; init; }

    public DepthUpdate? Depth { get; init; }

    /// <summary>
    /// True when the recording printed <c>pu</c>; otherwise <see cref="DepthUpdate.PreviousFinalUpdateId"/> is
    /// filled once the events are in replay order (the symbol's previous <c>u</c>, or <c>U − 1</c>).
    /// </summary>
    public bool HasRecordedPreviousUpdateId { get; init; }

    public Kline? Kline { get; init; }

    /// <summary>A data.binance.vision kline: final figures only, served open from its open time and closed from <see cref="TimeUs"/>.</summary>
    public bool IsArchiveKline { get; init; }

    public string Symbol => Trade?.Symbol ?? Depth?.Symbol ?? Kline?.Symbol ?? throw new InvalidOperationException("An event holds nothing.");

    /// <summary>The same event with every time moved by <paramref name="offsetUs"/> (kline close times follow their open time).</summary>
    public ReplayEvent Shift(long offsetUs) => offsetUs == 0
        ? this
        : this with
        {
            TimeUs = TimeUs + offsetUs,
            Trade = Trade is { } trade ? trade with { TradeTimeUs = trade.TradeTimeUs + offsetUs, EventTimeUs = trade.EventTimeUs + offsetUs } : null,
            Depth = Depth is { } depth ? depth with { EventTimeUs = depth.EventTimeUs + offsetUs, TransactionTimeUs = depth.TransactionTimeUs + offsetUs } : null,
            Kline = Kline is { } kline ? kline with { OpenTimeUs = kline.OpenTimeUs + offsetUs } : null,
        };
}
