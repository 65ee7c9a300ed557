using Ingest.Sequencing;

namespace Ingest.GapBackfill;

/// <summary>
/// What to do with one feed gap record: ignore it (and why), or fetch <see cref="Fetch"/> of <see cref="Symbol"/>.
/// <see cref="Reported"/> is the gap's whole range; when it is longer than the cap, <see cref="Fetch"/> is its start.
/// </summary>
internal readonly record struct GapDecision(GapIgnoreReason Ignored, string Symbol, IdInterval Reported, IdInterval Fetch)
{
    public bool IsAccepted => Ignored == GapIgnoreReason.None;

    /// <summary>Ids of the reported range beyond the cap, not fetched.</summary>
    public long OverCap => Reported.Count - Fetch.Count;

    public static GapDecision Ignore(GapIgnoreReason reason) => new(reason, string.Empty, default, default);
}
