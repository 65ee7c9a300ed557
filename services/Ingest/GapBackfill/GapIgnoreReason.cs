namespace Ingest.GapBackfill;

/// <summary>Why a feed gap record was not turned into a backfill request (the metric's <c>reason</c> label).</summary>
internal enum GapIgnoreReason
{
    /// <summary>Accepted.</summary>
    None = 0,

    /// <summary>Not a <c>FeedGap</c> in either wire form (or a tombstone).</summary>
    Unreadable,

    /// <summary>Another market's gap: that market's pods handle it in their own group.</summary>
    Market,

    /// <summary>Reports a hole already filled.</summary>
    Filled,

    /// <summary>Depth or connection gaps: no history to fetch them from.</summary>
    Kind,

    /// <summary>No aggregate ids named, or a range that cannot be (negative, reversed), or no symbol.</summary>
    NoIds,

    /// <summary>An ingest pod's own report (never acted on: it would loop), or a detector not in the accepted list.</summary>
    Detector,

    /// <summary>Detected longer ago than <see cref="GapBackfillOptions.MaxAge"/>.</summary>
    TooOld,

    /// <summary>The same symbol and ids were requested within <see cref="GapBackfillOptions.RepeatWindow"/>.</summary>
    Repeat,
}

internal static class GapIgnoreReasons
{
    /// <summary>The metric label: stable snake case, not the enum's spelling.</summary>
    public static string Label(this GapIgnoreReason reason) => reason switch
    {
        GapIgnoreReason.Unreadable => "unreadable",
        GapIgnoreReason.Market => "market",
        GapIgnoreReason.Filled => "filled",
        GapIgnoreReason.Kind => "kind",
        GapIgnoreReason.NoIds => "no_ids",
        GapIgnoreReason.Detector => "detector",
        GapIgnoreReason.TooOld => "too_old",
        GapIgnoreReason.Repeat => "repeat",
        _ => "none",
    };
}
