namespace Ingest.Sequencing;

/// <summary>How one diff-depth event relates to the previous one of its symbol on the same connection.</summary>
public enum DepthObservationKind
{
    /// <summary>The first event since the symbol was seen or <see cref="DepthContinuity.Reset"/>: a book must be (re)built from a snapshot.</summary>
    First = 1,

    /// <summary>Continues the chain: Spot <c>U ≤ last + 1 ≤ u</c>; USD-M <c>pu == last</c>.</summary>
    Continuous,

    /// <summary><c>u ≤ last</c>: already applied (overlap, duplicate, the other region's copy); drop it.</summary>
    Stale,

    /// <summary>Updates were missed: the book is wrong from here and depth cannot be backfilled, so it is reported.</summary>
    Gap,
}
