namespace Ingest.Sequencing;

/// <summary>The verdict on one depth event; for a gap, the update ids that never arrived.</summary>
public readonly struct DepthObservation
{
    public DepthObservationKind Kind { get; init; }

    /// <summary>
    /// For <see cref="DepthObservationKind.Gap"/>: Spot <c>[last + 1, U - 1]</c>; USD-M <c>(last, pu]</c>. Empty
    /// (<see cref="IdInterval.Count"/> 0) when a USD-M event overlaps the last one without chaining from it
    /// (<c>pu &lt; last &lt; u</c>): no id is known missing, but the two chains disagree and the book must be rebuilt.
    /// </summary>
    public IdInterval Missing { get; init; }

    public long MissingFirst => Missing.First;

    public long MissingLast => Missing.Last;

    /// <summary>The symbol's last final update id before this event; null for <see cref="DepthObservationKind.First"/>.</summary>
    public long? PreviousLast { get; init; }
}
