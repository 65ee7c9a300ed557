namespace Ingest.Sequencing;

/// <summary>
/// One open hole and the gap it came from. Fills split holes; keeping the original gap lets the sequencer
/// say when that whole gap (the unit the caller asked to backfill) is complete.
/// </summary>
internal readonly record struct HoleEntry(IdInterval Range, IdInterval Origin);
