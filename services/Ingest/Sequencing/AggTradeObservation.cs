namespace Ingest.Sequencing;

/// <summary>
/// The sequencer's verdict on one aggregate trade, flat and allocation-free because there is one per trade.
/// Besides the kind it carries what the caller must act on: the range to backfill, the hole a fill closed,
/// a hole given up to bound memory, and whether a reconnect needs verifying.
/// </summary>
public readonly struct AggTradeObservation
{
    public AggTradeObservationKind Kind { get; init; }

    /// <summary>For <see cref="AggTradeObservationKind.Gap"/>: the skipped ids <c>[last + 1, id - 1]</c>.</summary>
    public IdInterval Missing { get; init; }

    /// <summary>For a gap: trade time of the last trade before it; the missing trades happened in [GapStartMs, GapEndMs].</summary>
    public long GapStartMs { get; init; }

    /// <summary>For a gap: trade time of the trade that revealed it.</summary>
    public long GapEndMs { get; init; }

    /// <summary>
    /// For <see cref="AggTradeObservationKind.FillsHole"/>: whether this id was the last missing one of the gap it
    /// belonged to; then <see cref="ClosedGap"/> is that gap as originally reported.
    /// </summary>
    public bool GapClosed { get; init; }

    public IdInterval ClosedGap { get; init; }

    /// <summary>Whether the hole cap forced the oldest open hole out; <see cref="GivenUp"/> is what remains unfilled of it.</summary>
    public bool HoleGivenUp { get; init; }

    public IdInterval GivenUp { get; init; }

    /// <summary>
    /// Set on the first observation after <see cref="AggTradeSequencer.MarkReconnected"/>: trades may have
    /// happened while disconnected, so backfill from <see cref="VerifyFromId"/> up to this id to be sure.
    /// </summary>
    public bool NeedsVerification { get; init; }

    /// <summary>The high-water mark + 1 at the time of the reconnect.</summary>
    public long VerifyFromId { get; init; }
}
