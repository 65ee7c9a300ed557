using BinanceRecordings;
using ExchangeSimulator.Market;
using ExchangeSimulator.Rest;
using MarketPriceLevel = ExchangeSimulator.Market.PriceLevel;
using RecordedPriceLevel = BinanceRecordings.PriceLevel;

namespace ExchangeSimulator.Replay;

/// <summary>
/// Reads every file of a replay into memory (recordings are small: minutes to a day of a few symbols), then puts
/// the events of all files into one replay order (time, file, line), applies the time shift, and derives what the
/// recordings do not state: symbol rules, each book's starting point, the served klines.
/// </summary>
internal sealed class RecordingLoader
{
    /// <summary>
    /// First and last trade id of an archived kline: data.binance.vision's klines CSV has none, and -1 is the
    /// exchange's own "no trade id" (kline events of intervals without trades, trades marked invalid).
    /// Only the WebSocket kline event prints them (<c>f</c>, <c>L</c>); REST klines have no such columns.
    /// </summary>
    public const long ArchiveKlineTradeId = -1;

    private const string SnapshotEventType = "depthSnapshot";

    private readonly List<ReplayEvent> _events = [];
    private readonly List<RecordedSnapshot> _snapshots = [];
    private readonly SortedDictionary<string, long> _skipped = new(StringComparer.Ordinal);
    private readonly List<(string Path, MarketFlavor Flavor)> _flavorEvidence = [];

    public static async Task<LoadedRecording> LoadAsync(ReplayOptions options, CancellationToken cancellationToken)
    {
        var files = await RecordingFileClassifier.ClassifyAsync(options, cancellationToken);
        var loader = new RecordingLoader();
        foreach (var file in files)
        {
            await loader.ReadAsync(file, cancellationToken);
        }

        return loader.Build(options, files);
    }

    private async Task ReadAsync(RecordingFile file, CancellationToken cancellationToken)
    {
        switch (file.Kind)
        {
            case RecordingFileKind.AggTradesCsv:
                await ReadAggTradesCsvAsync(file, cancellationToken);
                break;
            case RecordingFileKind.KlinesCsv:
                await ReadKlinesCsvAsync(file, cancellationToken);
                break;
            case RecordingFileKind.JsonLines:
                await ReadCaptureAsync(file, JsonLinesReader.ReadFileAsync(file.Path, cancellationToken));
                break;
            case RecordingFileKind.CryptofeedWebSocket or RecordingFileKind.CryptofeedRest:
                await AddUrlEvidenceAsync(file, cancellationToken);
                await ReadCaptureAsync(file, CryptofeedCaptureReader.ReadFileAsync(file.Path, cancellationToken));
                break;
            case RecordingFileKind.HftBacktest:
                await ReadCaptureAsync(file, HftBacktestCaptureReader.ReadFileAsync(file.Path, cancellationToken));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(file), file.Kind, "Unknown recording kind.");
        }
    }

    /// <summary>
    /// The archive has no <c>E</c>: a trade is emitted at its <c>T</c>. Rows Binance marked invalid (p=0, q=0,
    /// f=l=-1) are replayed as they are, because the exchange still serves them under their aggregate id and
    /// dropping them would leave a gap in the ids.
    /// </summary>
    private async Task ReadAggTradesCsvAsync(RecordingFile file, CancellationToken cancellationToken)
    {
        var symbol = file.Symbol!;
        await foreach (var row in AggTradesCsvReader.ReadFileAsync(file.Path, TimestampUnit.Detect, cancellationToken))
        {
            var trade = ToTrade(symbol, row.Trade, eventTimeUs: row.Trade.TradeTimeUs);
            _events.Add(new ReplayEvent { TimeUs = trade.TradeTimeUs, FileIndex = file.Index, Sequence = row.LineNumber, Trade = trade });
        }
    }

    /// <summary>Each row is a closed kline, emitted at its close time.</summary>
    private async Task ReadKlinesCsvAsync(RecordingFile file, CancellationToken cancellationToken)
    {
        var symbol = file.Symbol!;
        var interval = file.Interval!.Value;
        // The reader gives no line numbers; rows are counted, after the header line when there is one.
        var firstLine = await RecordingFileStreams.ReadFirstLineAsync(file.Path, cancellationToken);
        long lineNumber = firstLine is { Length: > 0 } && char.IsAsciiLetter(firstLine[0]) ? 1 : 0;
        await foreach (var record in KlinesCsvReader.ReadFileAsync(file.Path, TimestampUnit.Detect, cancellationToken))
        {
            lineNumber++;
            var lengthUs = record.CloseTimeUs - record.OpenTimeUs;
            if (lengthUs != interval.LengthUs - 1 && lengthUs != interval.LengthUs - SimulatedTime.MicrosecondsPerMillisecond)
            {
                throw new RecordingFormatException(file.Path, lineNumber, $"open_time to close_time is not one {interval.Name} kline (file name says {interval.Name})");
            }

            var kline = ToKline(symbol, interval, record, ArchiveKlineTradeId, ArchiveKlineTradeId);
            _events.Add(new ReplayEvent { TimeUs = record.CloseTimeUs, FileIndex = file.Index, Sequence = lineNumber, Kline = kline, IsArchiveKline = true });
        }
    }

    private async Task ReadCaptureAsync(RecordingFile file, IAsyncEnumerable<CapturedMessage> messages)
    {
        var symbols = new SortedSet<string>(StringComparer.Ordinal);
        var unnamedSnapshots = new List<CapturedMessage>();
        var flavors = new SortedSet<MarketFlavor>();
        await foreach (var message in messages)
        {
            if (message.Kind == CapturedMessageKind.DepthSnapshot)
            {
                if (message.Symbol is { } snapshotSymbol)
                {
                    _snapshots.Add(new RecordedSnapshot(snapshotSymbol, message.ToDepthSnapshot(), file.Index, message.LineNumber));
                }
                else
                {
                    unnamedSnapshots.Add(message);
                }

                continue;
            }

            var symbol = message.Symbol ?? throw new RecordingFormatException(message.Source, message.LineNumber, $"the {message.EventType} event names no symbol");
            symbols.Add(symbol);
            AddStreamEvent(file, message, symbol, flavors);
        }

        // hftbacktest does not name a snapshot's symbol: it is the capture's, when the capture holds one symbol.
        foreach (var snapshot in unnamedSnapshots)
        {
            var symbol = symbols.Count == 1
                ? symbols.Min!
                : throw new RecordingFormatException(snapshot.Source, snapshot.LineNumber, $"a REST depth snapshot without a symbol, in a capture of {symbols.Count} symbols");
            _snapshots.Add(new RecordedSnapshot(symbol, snapshot.ToDepthSnapshot(), file.Index, snapshot.LineNumber));
        }

        foreach (var flavor in flavors)
        {
            _flavorEvidence.Add((file.Path, flavor));
        }
    }

    private void AddStreamEvent(RecordingFile file, CapturedMessage message, string symbol, SortedSet<MarketFlavor> flavors)
    {
        switch (message.EventType)
        {
            case "aggTrade":
            {
                var record = message.ToAggTrade();
                var trade = ToTrade(symbol, record, record.EventTimeMs is { } eventTimeMs ? Microseconds(eventTimeMs) : record.TradeTimeUs);
                _events.Add(new ReplayEvent { TimeUs = trade.EventTimeUs, FileIndex = file.Index, Sequence = message.LineNumber, Trade = trade });
                break;
            }

            case "depthUpdate":
            {
                var record = message.ToDepthUpdate();
                flavors.Add(record.PreviousFinalUpdateId is null ? MarketFlavor.Spot : MarketFlavor.UsdmFutures);
                var eventTimeUs = Microseconds(record.EventTimeMs);
                var update = new DepthUpdate
                {
                    Symbol = symbol,
                    FirstUpdateId = record.FirstUpdateId,
                    FinalUpdateId = record.FinalUpdateId,
                    PreviousFinalUpdateId = record.PreviousFinalUpdateId ?? 0,
                    EventTimeUs = eventTimeUs,
                    // Spot prints no T: its last change is known only as the event's time.
                    TransactionTimeUs = record.TransactionTimeMs is { } transactionTimeMs ? Microseconds(transactionTimeMs) : eventTimeUs,
                    Bids = Levels(record.Bids),
                    Asks = Levels(record.Asks),
                };
                _events.Add(new ReplayEvent
                {
                    TimeUs = eventTimeUs,
                    FileIndex = file.Index,
                    Sequence = message.LineNumber,
                    Depth = update,
                    HasRecordedPreviousUpdateId = record.PreviousFinalUpdateId is not null,
                });
                break;
            }

            case "kline":
            {
                var record = message.ToKline();
                if (!RestRules.TryParseInterval(record.Interval!, out var interval))
                {
                    Skip("kline_" + record.Interval);
                    break;
                }

                var kline = ToKline(symbol, interval, record, record.FirstTradeId ?? ArchiveKlineTradeId, record.LastTradeId ?? ArchiveKlineTradeId);
                var timeUs = record.EventTimeMs is { } eventTimeMs ? Microseconds(eventTimeMs) : record.CloseTimeUs;
                _events.Add(new ReplayEvent { TimeUs = timeUs, FileIndex = file.Index, Sequence = message.LineNumber, Kline = kline });
                break;
            }

            default:
                Skip(message.EventType);
                break;
        }
    }

    /// <summary>A cryptofeed capture names its endpoint on its first line: <c>fstream</c>/<c>fapi</c> is USD-M futures.</summary>
    private async Task AddUrlEvidenceAsync(RecordingFile file, CancellationToken cancellationToken)
    {
        var url = await RecordingFileStreams.ReadFirstLineAsync(file.Path, cancellationToken) ?? string.Empty;
        if (url.Contains("fstream.", StringComparison.Ordinal) || url.Contains("fapi.", StringComparison.Ordinal))
        {
            _flavorEvidence.Add((file.Path, MarketFlavor.UsdmFutures));
        }
        else if (url.Contains("stream.binance.", StringComparison.Ordinal) || url.Contains("/api/", StringComparison.Ordinal))
        {
            _flavorEvidence.Add((file.Path, MarketFlavor.Spot));
        }
    }

    private LoadedRecording Build(ReplayOptions options, IReadOnlyList<RecordingFile> files)
    {
        if (_events.Count == 0)
        {
            var skipped = _skipped.Count == 0 ? string.Empty : "; skipped: " + string.Join(", ", _skipped.Select(s => $"{s.Key} {s.Value}"));
            throw new ArgumentException(
                $"The recordings ({string.Join(", ", files.Select(f => f.Path))}) hold no event to replay (aggTrade, depthUpdate, kline){skipped}.",
                nameof(options));
        }

        var flavor = options.Flavor ?? InferFlavor();
        var ordered = _events.OrderBy(e => e.TimeUs).ThenBy(e => e.FileIndex).ThenBy(e => e.Sequence).ToList();

        // An archived kline is served (still open) from its open time, before its close event: the replay starts there.
        var recordedStartUs = ordered.Where(e => e.IsArchiveKline).Select(e => e.Kline!.OpenTimeUs).Append(ordered[0].TimeUs).Min();
        var offsetUs = options.ShiftStartTo is { } start ? SimulatedTime.ToMicroseconds(start) - recordedStartUs : 0;
        if (recordedStartUs + offsetUs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ShiftStartTo, "ShiftStartTo is before the Unix epoch.");
        }

        var statistics = new SortedDictionary<string, SymbolStatistics>(StringComparer.Ordinal);
        var events = PutInReplayOrder(ordered, offsetUs, statistics);
        var startUs = recordedStartUs + offsetUs;
        var books = BuildBooks(events, offsetUs, startUs, statistics);
        var symbols = statistics.Values
            .OrderByDescending(s => s.TradeCount)
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .Select((s, rank) => s.ToSpec(rank, flavor))
            .ToList();
        return new LoadedRecording
        {
            Flavor = flavor,
            Files = [.. files.Select(f => f.Path)],
            Symbols = symbols,
            Events = events,
            StartUs = startUs,
            EndUs = events[^1].TimeUs,
            TimeShiftUs = offsetUs,
            Books = books,
            KlineSeries = BuildKlineSeries(events),
            SkippedEvents = new SortedDictionary<string, long>(_skipped, StringComparer.Ordinal),
        };
    }

    /// <summary>Shifts every event and gives Spot's diffs the <c>pu</c> they do not print: the symbol's previous <c>u</c> in replay order, or <c>U − 1</c>.</summary>
    private static ReplayEvent[] PutInReplayOrder(List<ReplayEvent> ordered, long offsetUs, SortedDictionary<string, SymbolStatistics> statistics)
    {
        var events = new ReplayEvent[ordered.Count];
        var lastFinalUpdateIds = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < events.Length; i++)
        {
            var replayEvent = ordered[i].Shift(offsetUs);
            var symbol = Statistics(statistics, replayEvent.Symbol);
            if (replayEvent.Trade is { } trade)
            {
                symbol.AddTrade(trade);
            }
            else if (replayEvent.Depth is { } depth)
            {
                if (!replayEvent.HasRecordedPreviousUpdateId)
                {
                    var previous = lastFinalUpdateIds.TryGetValue(depth.Symbol, out var final) ? final : depth.FirstUpdateId - 1;
                    replayEvent = replayEvent with { Depth = depth with { PreviousFinalUpdateId = previous } };
                }

                lastFinalUpdateIds[depth.Symbol] = depth.FinalUpdateId;
                symbol.AddDepth(depth.Bids);
                symbol.AddDepth(depth.Asks);
            }
            else if (replayEvent.Kline is { } kline)
            {
                symbol.AddKline(kline);
            }

            events[i] = replayEvent;
        }

        return events;
    }

    /// <summary>
    /// Each symbol's book starts from its earliest snapshot (others are counted as skipped). A snapshot's time is
    /// its <c>E</c> (USD-M futures print it). Spot's snapshot has none, and the recorder's receive clock is not the
    /// exchange's, so it takes the time of the last diff it already contains (<c>u ≤ lastUpdateId</c>): from then
    /// on the snapshot is the book, possibly ahead of the published diffs, as Binance's own snapshots are. A
    /// snapshot older than every diff of its symbol describes the book from the start of the replay.
    /// </summary>
    private Dictionary<string, ReplayOrderBook> BuildBooks(
        ReplayEvent[] events, long offsetUs, long startUs, SortedDictionary<string, SymbolStatistics> statistics)
    {
        var diffs = events.Where(e => e.Depth is not null).ToLookup(e => e.Depth!.Symbol, StringComparer.Ordinal);
        var timed = _snapshots
            .Select(s => (Recorded: s, TimeUs: s.Snapshot.EventTimeMs is { } eventTimeMs
                ? Microseconds(eventTimeMs) + offsetUs
                : diffs[s.Symbol].LastOrDefault(e => e.Depth!.FinalUpdateId <= s.Snapshot.LastUpdateId)?.TimeUs ?? startUs))
            .OrderBy(s => s.TimeUs)
            .ThenBy(s => s.Recorded.FileIndex)
            .ThenBy(s => s.Recorded.LineNumber);
        var books = new Dictionary<string, ReplayOrderBook>(StringComparer.Ordinal);
        foreach (var (recorded, timeUs) in timed)
        {
            var symbol = Statistics(statistics, recorded.Symbol);
            foreach (var level in recorded.Snapshot.Bids.Concat(recorded.Snapshot.Asks))
            {
                symbol.AddPrice(level.Price.Value);
                symbol.AddQuantity(level.Quantity.Value);
            }

            if (books.ContainsKey(recorded.Symbol))
            {
                Skip(SnapshotEventType);
                continue;
            }

            var transactionTimeUs = recorded.Snapshot.TransactionTimeMs is { } transactionTimeMs ? Microseconds(transactionTimeMs) + offsetUs : timeUs;
            books.Add(recorded.Symbol, new ReplayOrderBook(recorded.Symbol, recorded.Snapshot, timeUs, transactionTimeUs));
            symbol.SnapshotMidPrice = MidPrice(recorded.Snapshot);
        }

        return books;
    }

    /// <summary>
    /// A stream kline is served as published, from its <c>E</c>. An archived kline holds only its final figures: it is
    /// served from its open time marked open (with those final figures: a CSV has nothing earlier), closed from its close time.
    /// </summary>
    private static Dictionary<(string Symbol, string Interval), RecordedKlineSeries> BuildKlineSeries(ReplayEvent[] events)
    {
        var versions = new Dictionary<(string Symbol, string Interval), List<(long FromUs, Kline Kline)>>();
        foreach (var replayEvent in events)
        {
            if (replayEvent.Kline is not { } kline)
            {
                continue;
            }

            var key = (kline.Symbol, kline.Interval.Name);
            if (!versions.TryGetValue(key, out var list))
            {
                versions[key] = list = [];
            }

            if (replayEvent.IsArchiveKline)
            {
                list.Add((kline.OpenTimeUs, kline with { IsClosed = false }));
            }

            list.Add((replayEvent.TimeUs, kline));
        }

        return versions.ToDictionary(v => v.Key, v => new RecordedKlineSeries(v.Value.OrderBy(k => k.FromUs)));
    }

    private MarketFlavor InferFlavor()
    {
        var spot = _flavorEvidence.Where(e => e.Flavor == MarketFlavor.Spot).Select(e => e.Path).FirstOrDefault();
        var futures = _flavorEvidence.Where(e => e.Flavor == MarketFlavor.UsdmFutures).Select(e => e.Path).FirstOrDefault();
        if (spot is not null && futures is not null)
        {
            throw new ArgumentException(
                $"The recordings mix markets: {spot} is Spot and {futures} is USD-M futures (depth with pu, or an fstream/fapi URL). Replay them separately.",
                "options");
        }

        return futures is not null ? MarketFlavor.UsdmFutures : MarketFlavor.Spot;
    }

    private static Kline ToKline(string symbol, KlineInterval interval, KlineRecord record, long firstTradeId, long lastTradeId) => new()
    {
        Symbol = symbol,
        Interval = interval,
        OpenTimeUs = record.OpenTimeUs,
        FirstTradeId = firstTradeId,
        LastTradeId = lastTradeId,
        Open = record.Open.Value,
        High = record.High.Value,
        Low = record.Low.Value,
        Close = record.Close.Value,
        BaseVolume = record.Volume.Value,
        QuoteVolume = record.QuoteVolume.Value,
        TradeCount = record.TradeCount,
        TakerBuyBaseVolume = record.TakerBuyVolume.Value,
        TakerBuyQuoteVolume = record.TakerBuyQuoteVolume.Value,
        IsClosed = record.IsClosed,
    };

    private static MarketPriceLevel[] Levels(IReadOnlyList<RecordedPriceLevel> levels)
    {
        var result = new MarketPriceLevel[levels.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new MarketPriceLevel(levels[i].Price.Value, levels[i].Quantity.Value);
        }

        return result;
    }

    private static decimal? MidPrice(DepthSnapshot snapshot) => (snapshot.Bids, snapshot.Asks) switch
    {
        ({ Count: > 0 } bids, { Count: > 0 } asks) => (bids[0].Price.Value + asks[0].Price.Value) / 2,
        ({ Count: > 0 } bids, _) => bids[0].Price.Value,
        (_, { Count: > 0 } asks) => asks[0].Price.Value,
        _ => null,
    };

    private static SymbolStatistics Statistics(SortedDictionary<string, SymbolStatistics> statistics, string symbol)
    {
        if (!statistics.TryGetValue(symbol, out var found))
        {
            statistics[symbol] = found = new SymbolStatistics(symbol);
        }

        return found;
    }

    private static long Microseconds(long milliseconds) => checked(milliseconds * SimulatedTime.MicrosecondsPerMillisecond);

    private void Skip(string eventType) => _skipped[eventType] = _skipped.GetValueOrDefault(eventType) + 1;

    /// <summary>A recorded trade as the simulator's; the archive has no event time, so callers pass one.</summary>
    private static AggregateTrade ToTrade(string symbol, AggTradeRecord record, long eventTimeUs) => new(
        symbol,
        record.AggregateTradeId,
        record.Price.Value,
        record.Quantity.Value,
        record.FirstTradeId,
        record.LastTradeId,
        record.TradeTimeUs,
        eventTimeUs,
        record.IsBuyerMaker);
}
