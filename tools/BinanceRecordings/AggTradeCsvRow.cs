namespace BinanceRecordings;

/// <summary>One row of a data.binance.vision aggTrades CSV file.</summary>
/// <param name="LineNumber">1-based line in the file.</param>
/// <param name="Trade">The row's aggregate trade (time normalised to microseconds).</param>
/// <param name="IsBestMatch">is_best_match (always true on current spot data; kept as recorded).</param>
/// <param name="TimeUnit">The unit transact_time was read in (never Detect).</param>
/// <param name="IsMarkedInvalid">
/// Binance marked this row invalid in its 2022-04-12 audit (p=0, q=0, f=-1, l=-1; BINANCE.md 1.4).
/// Such rows are yielded so callers see and count them; they must not enter any volume or trade count.
/// </param>
public readonly record struct AggTradeCsvRow(long LineNumber, AggTradeRecord Trade, bool IsBestMatch, TimestampUnit TimeUnit, bool IsMarkedInvalid);
