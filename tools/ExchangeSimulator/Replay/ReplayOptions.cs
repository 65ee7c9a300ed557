using ExchangeSimulator.Market;

namespace ExchangeSimulator.Replay;

/// <summary>What <see cref="RecordingSource.LoadAsync"/> replays and how.</summary>
public sealed record ReplayOptions
{
    /// <summary>
    /// Recordings to merge into one market, in tie-break order (events with the same time are replayed file by
    /// file, in this order, then line by line). Kinds are recognised by name and content (see <see cref="RecordingSource"/>);
    /// a cryptofeed WebSocket capture brings its companion REST capture along when that file is next to it.
    /// </summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>
    /// The market the recordings come from; null infers it: USD-M futures when a depth diff carries <c>pu</c> or a
    /// capture URL is <c>fstream</c>/<c>fapi</c>, Spot otherwise. Files that disagree are refused rather than mixed,
    /// because the flavor decides how every event is printed.
    /// </summary>
    public MarketFlavor? Flavor { get; init; }

    /// <summary>
    /// When set, every time (trade and event times, kline open and close, snapshot times) moves by one constant so
    /// that <see cref="RecordingSource.StartUs"/> lands here: a replay can then look live to clients that check
    /// clocks. Pick an instant on the same offset within the largest recorded kline interval (e.g. a whole hour
    /// after a recording that starts on the hour) to keep recorded klines aligned to interval boundaries.
    /// </summary>
    public DateTimeOffset? ShiftStartTo { get; init; }

    /// <summary>
    /// Symbol of CSV files whose name does not follow data.binance.vision's (<c>&lt;SYMBOL&gt;-aggTrades-&lt;date&gt;.csv</c>);
    /// files named the Binance way keep the symbol of their name.
    /// </summary>
    public string? Symbol { get; init; }
}
