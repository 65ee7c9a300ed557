using System.Globalization;
using System.Text;
using BinanceRecordings;
using Google.Protobuf;
using Streaming.Contracts;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Raw.V1;
using Streaming.Testing;
using TakerVolume.Tests.EndToEnd;

namespace TakerVolume.Tests.Crash;

/// <summary>One raw event to produce, with the trade it carries (null for a kline).</summary>
internal sealed record InputRecord(string Topic, RawEvent Event, AggTradeRecord? Trade);

/// <summary>
/// One symbol of the crash test: the recording's trades with its own ids, prices and sides, a closing trade after the
/// window's grace, and a block of trades held back from the live feed (sent later as REST backfill).
/// </summary>
internal sealed record SymbolInput(string Name, IReadOnlyList<AggTradeRecord> Trades, int HeldFrom, int HeldCount)
{
    public long HeldFirstId => Trades[HeldFrom].AggregateTradeId;

    public long HeldLastId => Trades[HeldFrom + HeldCount - 1].AggregateTradeId;

    public bool IsHeld(int index) => index >= HeldFrom && index < HeldFrom + HeldCount;

    public bool IsHeldId(long aggregateId) => aggregateId >= HeldFirstId && aggregateId <= HeldLastId;
}

/// <summary>
/// The crash test's input: the 5,000 recorded BTCUSDT trades (2026-01-01 00:00:00–00:12:19, one 15-minute window)
/// replicated into <see cref="SymbolCount"/> symbols that hash to different partitions of the raw topic. Symbol k
/// has its own aggregate and trade id bases, prices times a factor (exact), and every odd symbol's sides swapped, so
/// no symbol's figures equal another's. Each symbol gets one synthetic closing trade at 00:15:30 (past the window's
/// end plus grace), so the first window turns final and the trailing window ends at a known time, and a block of its
/// trades is left out of the live slices and delivered afterwards as REST rows.
/// </summary>
internal sealed class CrashWorkload
{
    public const string RawTrades = "binance.spot.aggtrade.raw.v1";
    public const string RawKlines = "binance.spot.kline-15m.raw.v1";
    public const long WindowMs = 900_000;

    /// <summary>Every this many trades one is sent twice (a second ingest pod), the copy after the next trade.</summary>
    public const int CopyEvery = 7;

    /// <summary>Ids on each side of a held block that the backfill also returns (the exchange's rows overlap the live feed).</summary>
    public const int BackfillOverlap = 5;

    // Murmur2 (the project's partitioner) puts these on 8 of the raw topic's 12 partitions, two pairs sharing one.
    private static readonly string[] Names = ["BTCUSDT", "ETHUSDT", "BNBUSDT", "SOLUSDT", "XRPUSDT", "DOTUSDT", "LTCUSDT", "BCHUSDT", "TRXUSDT", "ADAUSDT"];
    private static readonly decimal[] PriceFactors = [1m, 2m, 0.5m, 3m, 1.5m, 4m, 0.25m, 5m, 2.5m, 0.2m];

    private CrashWorkload(IReadOnlyList<SymbolInput> symbols, long windowStartMs, int slices)
    {
        Symbols = symbols;
        WindowStartMs = windowStartMs;
        SliceCount = slices;
    }

    public static int SymbolCount => Names.Length;

    public IReadOnlyList<SymbolInput> Symbols { get; }

    /// <summary>Start of the recording's window (2026-01-01 00:00:00 UTC).</summary>
    public long WindowStartMs { get; }

    /// <summary>Time of every symbol's closing trade: the last stream time, where the trailing windows end.</summary>
    public long CloseTimeMs => WindowStartMs + WindowMs + 30_000;

    public int SliceCount { get; }

    public static async Task<CrashWorkload> LoadAsync(int slices, CancellationToken cancellationToken)
    {
        var path = RepoPaths.Combine("tests", "data", "recordings", "binance-vision", "BTCUSDT-aggTrades-2026-01-01.csv");
        var recorded = new List<AggTradeRecord>();
        await foreach (var row in AggTradesCsvReader.ReadFileAsync(path, cancellationToken: cancellationToken))
        {
            recorded.Add(row.Trade);
        }

        if (recorded.Count != 5000)
        {
            throw new InvalidOperationException($"{path}: expected 5000 trades, read {recorded.Count}");
        }

        var windowStart = recorded[0].TradeTimeMs - (recorded[0].TradeTimeMs % WindowMs);
        var closeTimeMs = windowStart + WindowMs + 30_000;
        var symbols = new List<SymbolInput>();
        for (var k = 0; k < Names.Length; k++)
        {
            var trades = recorded.ConvertAll(t => Derive(t, recorded[0], k));
            var last = trades[^1];
            var closingQuantity = ExactDecimal.Parse("0.00100000");
            trades.Add(new AggTradeRecord
            {
                AggregateTradeId = last.AggregateTradeId + 1,
                Price = last.Price,
                Quantity = new ExactNumber(ExactDecimal.Format(closingQuantity), closingQuantity),
                FirstTradeId = last.LastTradeId + 1,
                LastTradeId = last.LastTradeId + 1,
                TradeTimeUs = (closeTimeMs * 1000) + 250,
                IsBuyerMaker = false,
            });

            // Held blocks at different places and of different sizes, all well inside the recording (minutes of
            // stream time follow them, so each hole is reported before the backfill comes).
            symbols.Add(new SymbolInput(Names[k], trades, HeldFrom: 1200 + (150 * k), HeldCount: 100 + (10 * k)));
        }

        return new CrashWorkload(symbols, windowStart, slices);
    }

    /// <summary>
    /// Slice <paramref name="slice"/> of the live feed: the trades of its index range for every symbol, interleaved by
    /// time as the exchange sends them, without the held blocks, every <see cref="CopyEvery"/>th trade twice.
    /// </summary>
    public IEnumerable<InputRecord> Slice(int slice)
    {
        var count = Symbols[0].Trades.Count;
        var from = count * slice / SliceCount;
        var to = count * (slice + 1) / SliceCount;
        for (var i = from; i < to; i++)
        {
            foreach (var symbol in Symbols)
            {
                if (!symbol.IsHeld(i))
                {
                    yield return Live(symbol, symbol.Trades[i]);
                }

                var previous = i - 1;
                if (previous >= from && previous % CopyEvery == 0 && !symbol.IsHeld(previous))
                {
                    yield return Live(symbol, symbol.Trades[previous]);
                }
            }
        }
    }

    /// <summary>The held blocks as REST rows (what an ingest pod's backfill publishes), overlapping the live feed on both sides.</summary>
    public IEnumerable<InputRecord> Backfill()
    {
        foreach (var symbol in Symbols)
        {
            for (var i = symbol.HeldFrom - BackfillOverlap; i < symbol.HeldFrom + symbol.HeldCount + BackfillOverlap; i++)
            {
                var trade = symbol.Trades[i];
                yield return new InputRecord(RawTrades, RestRow(symbol.Name, trade), trade);
            }
        }
    }

    /// <summary>Each symbol's closed kline of the first window with the exchange's figures (from the oracle), twice (two feeds).</summary>
    public IEnumerable<InputRecord> Klines()
    {
        foreach (var symbol in Symbols)
        {
            var figures = CrashOracle.Of(symbol.Trades.Where(t => t.TradeTimeMs < WindowStartMs + WindowMs));
            var totals = new KlineTotalsText(
                ExactDecimal.Format(figures.TakerBuyQuote + figures.TakerSellQuote),
                ExactDecimal.Format(figures.TakerBuyQuote),
                ExactDecimal.Format(figures.TakerBuyBase + figures.TakerSellBase),
                ExactDecimal.Format(figures.TakerBuyBase),
                figures.TradeCount,
                figures.FirstTradeId,
                figures.LastTradeId,
                ExactDecimal.Format(figures.Open),
                ExactDecimal.Format(figures.High),
                ExactDecimal.Format(figures.Low),
                ExactDecimal.Format(figures.Close));
            var kline = RawEvents.Kline(symbol.Name, WindowStartMs, WindowStartMs + WindowMs + 2_000, closed: true, totals);
            yield return new InputRecord(RawKlines, kline, null);
            yield return new InputRecord(RawKlines, kline, null);
        }
    }

    private static InputRecord Live(SymbolInput symbol, AggTradeRecord trade) => new(RawTrades, RawEvents.AggTrade(symbol.Name, trade), trade);

    /// <summary>Symbol <paramref name="k"/>'s copy of a recorded trade (symbol 0 is the recording itself).</summary>
    private static AggTradeRecord Derive(AggTradeRecord trade, AggTradeRecord first, int k)
    {
        if (k == 0)
        {
            return trade;
        }

        var price = ExactDecimal.Multiply(trade.Price.Value, PriceFactors[k]);
        return trade with
        {
            AggregateTradeId = trade.AggregateTradeId - first.AggregateTradeId + (k * 1_000_000_000L) + (k * 7919L),
            FirstTradeId = trade.FirstTradeId - first.FirstTradeId + (k * 3_000_000_000L),
            LastTradeId = trade.LastTradeId - first.FirstTradeId + (k * 3_000_000_000L),
            Price = new ExactNumber(ExactDecimal.Format(price), price),
            IsBuyerMaker = k % 2 == 1 ? !trade.IsBuyerMaker : trade.IsBuyerMaker,
        };
    }

    /// <summary>A spot REST <c>/api/v3/aggTrades</c> row (no e, E, s; times in microseconds) as the backfill publishes it.</summary>
    private static RawEvent RestRow(string symbol, AggTradeRecord trade) => new()
    {
        Exchange = "binance",
        Market = Market.Spot,
        Stream = $"{symbol.ToLowerInvariant()}@aggTrade",
        Symbol = symbol,
        Region = "a",
        IngestInstanceId = "crash-test",
        ConnectionId = "crash-test-backfill",
        Source = Source.RestBackfill,
        Payload = ByteString.CopyFrom(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $$"""{"a":{{trade.AggregateTradeId}},"p":"{{trade.Price.Text}}","q":"{{trade.Quantity.Text}}","f":{{trade.FirstTradeId}},"l":{{trade.LastTradeId}},"T":{{trade.TradeTimeUs}},"m":{{(trade.IsBuyerMaker ? "true" : "false")}},"M":true}"""))),
    };
}
