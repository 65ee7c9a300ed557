using BinanceRecordings;

namespace ExchangeSimulator.Replay;

/// <summary>A REST depth snapshot found in a recording, with the symbol it belongs to and where it was read.</summary>
internal sealed record RecordedSnapshot(string Symbol, DepthSnapshot Snapshot, int FileIndex, long LineNumber);
