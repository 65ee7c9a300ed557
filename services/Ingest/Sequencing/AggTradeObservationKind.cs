namespace Ingest.Sequencing;

/// <summary>What one aggregate trade id means for its symbol's sequence.</summary>
public enum AggTradeObservationKind
{
    /// <summary>The first id seen for the symbol: nothing to compare with.</summary>
    First = 1,

    /// <summary>Exactly the high-water mark + 1.</summary>
    Continuous,

    /// <summary>Already seen (at or below the high-water mark and not in an open hole): do not count it again.</summary>
    Duplicate,

    /// <summary>Ids were skipped: <see cref="AggTradeObservation.Missing"/> must be backfilled or reported.</summary>
    Gap,

    /// <summary>A late id inside an open hole (typically from backfill); see <see cref="AggTradeObservation.ClosedGap"/>.</summary>
    FillsHole,

    /// <summary>
    /// Below what is tracked (before the first id seen, or in a hole given up under the memory cap): it can
    /// be neither confirmed new nor a duplicate; downstream dedup by id decides.
    /// </summary>
    Untracked,
}
