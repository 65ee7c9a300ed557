namespace Ingest.Sequencing;

/// <summary>
/// An inclusive range of exchange ids <c>[First, Last]</c>, the unit in which holes are tracked, backfilled
/// and reported. Named apart from the protobuf <c>Streaming.Contracts.Common.V1.IdRange</c> so files that
/// use both need no aliases; convert at the publishing edge.
/// </summary>
public readonly record struct IdInterval(long First, long Last)
{
    /// <summary>How many ids the range holds; 0 for an empty range (<c>Last &lt; First</c>).</summary>
    public long Count => Last < First ? 0 : Last - First + 1;

    public bool Contains(long id) => id >= First && id <= Last;

    public override string ToString() => $"[{First}, {Last}]";
}
