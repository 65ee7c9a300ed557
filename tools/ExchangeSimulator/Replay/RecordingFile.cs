using ExchangeSimulator.Market;

namespace ExchangeSimulator.Replay;

/// <summary>One file to replay, recognised.</summary>
/// <param name="Index">Position in the replay's file list: breaks ties between events of equal time.</param>
/// <param name="Path">As given (or found, for a cryptofeed companion); used in every error message.</param>
/// <param name="Kind">Its format.</param>
/// <param name="Symbol">The symbol of a CSV file (its rows do not name one); null for captures.</param>
/// <param name="Interval">The interval of a klines CSV file; null otherwise.</param>
internal sealed record RecordingFile(int Index, string Path, RecordingFileKind Kind, string? Symbol = null, KlineInterval? Interval = null);
