using BinanceRecordings;
using ExchangeSimulator.Market;

namespace ExchangeSimulator.Replay;

/// <summary>
/// Replays recorded real Binance data as an <see cref="IMarketSource"/>, so the simulator's servers serve the
/// exchange's own events instead of synthetic ones. Every file is read into memory at load (recordings are small:
/// minutes to a day of a few symbols) and all events of all files are merged into one order: event time
/// (<c>E</c>; <c>T</c> for archived trades, which have no <c>E</c>; the close time for archived klines), then file
/// order, then line order. Nothing moves on its own: a driver calls <see cref="AdvanceTo(long, IMarketListener)"/>
/// as its clock passes. Not thread-safe (see <c>Rest.SimulatedMarket</c>).
/// <para>Files (recognised by name, and by first line for <c>.gz</c>):</para>
/// <list type="bullet">
/// <item>data.binance.vision aggTrades CSV, <c>&lt;SYMBOL&gt;-aggTrades-&lt;date&gt;.csv[.gz]</c> (ms or µs, header or not): trades, at <c>E = T</c>.</item>
/// <item>data.binance.vision klines CSV, <c>&lt;SYMBOL&gt;-&lt;interval&gt;-&lt;date&gt;.csv[.gz]</c>: closed klines at their close time, trade ids -1.</item>
/// <item>JSON lines, <c>*.jsonl[.gz]</c>: see <see cref="JsonLinesReader"/> (raw, combined, or <c>{"snapshot":"SYMBOL","data":…}</c>).</item>
/// <item>cryptofeed captures <c>BINANCE*.ws.*</c>, with the session's <c>BINANCE*.http.*</c> snapshots (found next to it when not listed).</item>
/// <item>hftbacktest captures (<c>*.gz</c> of <c>&lt;receive ns&gt; &lt;JSON&gt;</c> lines).</item>
/// </list>
/// <para>
/// aggTrade, depthUpdate and kline events are replayed; other kinds (trade, bookTicker, markPriceUpdate…) are
/// counted in <see cref="SkippedEvents"/>. Decimals keep the recording's printed scale, so a
/// <see cref="Formats.BinanceStreamWriter"/> re-prints the exchange's exact text.
/// </para>
/// </summary>
public sealed class RecordingSource : IMarketSource
{
    private readonly ReplayEvent[] _events;
    private readonly Dictionary<string, ReplayOrderBook> _books;
    private readonly Dictionary<(string Symbol, string Interval), RecordedKlineSeries> _klines;
    private readonly HashSet<string> _symbols;
    private int _next;

    private RecordingSource(LoadedRecording recording)
    {
        _events = recording.Events;
        _books = recording.Books;
        _klines = recording.KlineSeries;
        Flavor = recording.Flavor;
        Files = recording.Files;
        Symbols = recording.Symbols;
        _symbols = recording.Symbols.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        StartUs = recording.StartUs;
        EndUs = recording.EndUs;
        TimeShiftUs = recording.TimeShiftUs;
        SkippedEvents = recording.SkippedEvents;
        ProvidesKlines = recording.KlineSeries.Count > 0;
        // Nothing is produced yet, and an event may fall exactly at StartUs.
        NowUs = StartUs - 1;
    }

    /// <summary>Recognises and reads <see cref="ReplayOptions.Files"/>.</summary>
    /// <exception cref="ArgumentException">A file of no known kind (the message names it and the kinds accepted), files of both Spot and futures, or no event at all.</exception>
    /// <exception cref="FileNotFoundException">A listed file does not exist.</exception>
    /// <exception cref="RecordingFormatException">A malformed line, naming its file and line.</exception>
    public static async Task<RecordingSource> LoadAsync(ReplayOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RecordingSource(await RecordingLoader.LoadAsync(options, cancellationToken));
    }

    /// <summary>As set in the options, or inferred from the recordings (Spot when they do not say).</summary>
    public MarketFlavor Flavor { get; }

    /// <summary>The files read, in tie-break order, with any cryptofeed REST companion found next to its WebSocket capture.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>
    /// Every symbol with an event or a snapshot, most traded first (ties by name). Rules are inferred from the data:
    /// tick and step are the smallest units printed, scales the decimals printed (see <see cref="SymbolStatistics"/>).
    /// </summary>
    public IReadOnlyList<SymbolSpec> Symbols { get; }

    /// <summary>
    /// The earliest event time, or the open time of the first archived kline when that is earlier (the kline is
    /// served, still open, from then).
    /// </summary>
    public long StartUs { get; }

    /// <summary>Starts just before <see cref="StartUs"/>: nothing has been produced yet.</summary>
    public long NowUs { get; private set; }

    /// <summary>Time of the last event.</summary>
    public long? EndUs { get; }

    /// <summary>The constant added to every recorded time (<see cref="ReplayOptions.ShiftStartTo"/>); 0 without a shift.</summary>
    public long TimeShiftUs { get; }

    /// <summary>True when the recordings hold klines (stream or archive): they are emitted through <see cref="IMarketListener.OnKline"/>.</summary>
    public bool ProvidesKlines { get; }

    /// <summary>Events not replayed, per kind (<c>e</c>, or the stream suffix): trade, bookTicker, …; <c>depthSnapshot</c> counts snapshots after a symbol's first.</summary>
    public IReadOnlyDictionary<string, long> SkippedEvents { get; }

    /// <summary>How many events the replay holds.</summary>
    public int EventCount => _events.Length;

    /// <summary>How many have been emitted.</summary>
    public int EmittedCount => _next;

    /// <summary>Emits every event not yet emitted with a time at or before <paramref name="untilUs"/>, in replay order.</summary>
    public void AdvanceTo(long untilUs, IMarketListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        while (_next < _events.Length && _events[_next].TimeUs <= untilUs)
        {
            var replayEvent = _events[_next++];
            if (replayEvent.Trade is { } trade)
            {
                listener.OnTrade(trade);
            }
            else if (replayEvent.Depth is { } depth)
            {
                if (_books.TryGetValue(depth.Symbol, out var book))
                {
                    book.Apply(depth);
                }

                listener.OnDepthUpdate(depth);
            }
            else
            {
                listener.OnKline(replayEvent.Kline!, replayEvent.TimeUs);
            }
        }

        NowUs = Math.Max(NowUs, untilUs);
    }

    public void AdvanceTo(DateTimeOffset until, IMarketListener listener) => AdvanceTo(SimulatedTime.ToMicroseconds(until), listener);

    /// <summary>
    /// The book at <see cref="NowUs"/>: the symbol's first REST snapshot plus every diff emitted since with a
    /// higher <c>u</c>; <see cref="OrderBookSnapshot.LastUpdateId"/> is the last applied <c>u</c> (or the snapshot's).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such symbol.</exception>
    /// <exception cref="InvalidOperationException">The recording holds no snapshot of the symbol, or simulated time is before its snapshot.</exception>
    public OrderBookSnapshot GetOrderBook(string symbol, int limit)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (!_symbols.Contains(symbol))
        {
            throw new KeyNotFoundException($"The recording holds no symbol {symbol}.");
        }

        if (!_books.TryGetValue(symbol, out var book))
        {
            throw new InvalidOperationException($"The recording holds no REST depth snapshot of {symbol}: its book is unknown.");
        }

        if (NowUs < book.AvailableFromUs)
        {
            throw new InvalidOperationException(
                $"The book of {symbol} is known from {SimulatedTime.FromMicroseconds(book.AvailableFromUs):O} (its first REST depth snapshot); simulated time is {SimulatedTime.FromMicroseconds(NowUs):O}.");
        }

        return book.Snapshot(limit, NowUs);
    }

    /// <summary>
    /// The recorded klines of <paramref name="symbol"/> at <paramref name="interval"/> with open time at or before
    /// <see cref="NowUs"/>, each as last published by then (an archived kline not yet ended is marked open but holds
    /// its final figures); null when the recordings hold none, so REST computes them from the trades.
    /// </summary>
    public IReadOnlyList<Kline>? GetRecordedKlines(string symbol, KlineInterval interval) =>
        _klines.TryGetValue((symbol, interval.Name), out var series) ? series.At(NowUs) : null;
}
