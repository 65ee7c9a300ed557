namespace Ingest.Rest;

/// <summary>
/// The result of one discovery: the full set to ingest, and what changed since the previous discovery, so the
/// caller subscribes and unsubscribes only those streams instead of reconnecting everything.
/// </summary>
/// <param name="Symbols">Everything to ingest now, sorted ordinally.</param>
/// <param name="Added">In <paramref name="Symbols"/> but not before (on the first discovery: all of them), sorted.</param>
/// <param name="Removed">Ingested before, not any more (delisted, halted, excluded), sorted.</param>
internal sealed record SymbolSelection(IReadOnlyList<string> Symbols, IReadOnlyList<string> Added, IReadOnlyList<string> Removed)
{
    public bool HasChanges => Added.Count > 0 || Removed.Count > 0;
}
