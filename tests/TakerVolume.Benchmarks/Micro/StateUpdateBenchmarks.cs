using BenchmarkDotNet.Attributes;
using Streaming.Processing.Idempotence;
using TakerVolume.Benchmarks.Input;
using TakerVolume.Configuration;
using TakerVolume.Dedup;
using TakerVolume.Parsing;
using TakerVolume.Sliding;
using TakerVolume.Trades;
using TakerVolume.Windows;

namespace TakerVolume.Benchmarks.Micro;

/// <summary>
/// What the processor does to its state per trade (<c>TakerVolumeProcessor.ProcessTrade</c> without the outputs), per
/// trade: count the id once (<see cref="SymbolDedup"/>), add p × q to the tumbling window, add it to the trailing
/// window and subtract what left it. The trades are the generated market's (200 symbols, Zipf, BTCUSDT at about
/// 50/s, parsed from their payloads so decimals have the exchange's 8-decimal scale), 4,096 per invocation; each
/// invocation continues the previous one (ids and times shifted on), so the state reaches its steady size: 15 minutes
/// of trailing seconds, 6 hours of windows. The stores are dictionary doubles (the runtime's are internal and measured
/// on their own). Baseline: a running sum per symbol, the naive way (a dictionary and two decimals).
/// </summary>
[MemoryDiagnoser]
public class StateUpdateBenchmarks
{
    private const int Batch = 4_096;
    private const double Rate = 294;

    private readonly TakerVolumeSettings _settings = new(new TakerVolumeOptions());
    private ParsedAggTrade[] _trades = [];
    private string[] _symbols = [];
    private long[] _idStride = [];
    private long[] _fillStride = [];
    private long _spanMs;
    private long _invocation;
    private long _now;
    private Dictionary<string, (decimal Buy, decimal Sell)> _naive = [];
    private DictionaryKeyValueStore<string, SymbolDedup> _dedup = null!;
    private SortedWindowStore<string, TumblingWindow> _tumbling = null!;
    private TrailingWindows _trailing = null!;

    [GlobalSetup]
    public void Setup()
    {
        var universe = SymbolUniverse.Zipf(200, 1);
        var stream = new TradeStream(universe, RecordedTrades.Load(), Rate, BenchContext.InputStartUs, seed: 9);
        var factory = new RawEventFactory(universe);
        _trades = new ParsedAggTrade[Batch];
        _symbols = new string[Batch];
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        var fills = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < Batch; i++)
        {
            var generated = stream.Next();
            var symbol = universe.Symbols[generated.Symbol].Name;
            var payload = factory.Payload(generated, (generated.TimeUs / 1000) + 1);
            if (AggTradeParser.TryParse(payload, symbol, out _trades[i], out var reason) != PayloadError.None)
            {
                throw new InvalidOperationException($"A generated payload does not parse: {reason}");
            }

            _symbols[i] = symbol;
            ids[symbol] = ids.GetValueOrDefault(symbol) + 1;
            fills[symbol] = fills.GetValueOrDefault(symbol) + _trades[i].TradeCount;
        }

        // Invocation j shifts each symbol's ids by j times its trades in the batch: batch j + 1 starts where j ended.
        _idStride = [.. _symbols.Select(s => ids[s])];
        _fillStride = [.. _symbols.Select(s => fills[s])];
        _spanMs = _trades[^1].TradeTimeMs - _trades[0].TradeTimeMs + (long)(1000 / Rate);
        _naive = new Dictionary<string, (decimal, decimal)>(StringComparer.Ordinal);
        _dedup = new DictionaryKeyValueStore<string, SymbolDedup>("dedup");
        _tumbling = new SortedWindowStore<string, TumblingWindow>("tumbling");
        _trailing = new TrailingWindows(new SortedWindowStore<string, SlidingSecond>("sliding"), _settings.SlidingMs);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int NaiveRunningSumPerSymbol()
    {
        var shift = _invocation++;
        for (var i = 0; i < Batch; i++)
        {
            var trade = Shifted(i, shift);
            var quote = trade.Price * trade.Quantity;
            var (buy, sell) = _naive.GetValueOrDefault(_symbols[i]);
            _naive[_symbols[i]] = trade.BuyerIsMaker ? (buy, sell + quote) : (buy + quote, sell);
        }

        return _naive.Count;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int DedupOnly()
    {
        var shift = _invocation++;
        for (var i = 0; i < Batch; i++)
        {
            var trade = Shifted(i, shift);
            _now = Math.Max(_now, trade.TradeTimeMs);
            Dedup(_symbols[i], trade);
        }

        return _dedup.Count;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int TumblingOnly()
    {
        var shift = _invocation++;
        for (var i = 0; i < Batch; i++)
        {
            var trade = Shifted(i, shift);
            _now = Math.Max(_now, trade.TradeTimeMs);
            Tumbling(_symbols[i], trade, TradeFigures.Of(trade));
        }

        _tumbling.DropBefore(_settings.WindowStart(_now - _settings.RetentionMs));
        return _tumbling.Count;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int TrailingOnly()
    {
        var shift = _invocation++;
        for (var i = 0; i < Batch; i++)
        {
            var trade = Shifted(i, shift);
            _now = Math.Max(_now, trade.TradeTimeMs);
            Trailing(_symbols[i], trade, TradeFigures.Of(trade));
        }

        return _trailing.Symbols.Count;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int DedupTumblingTrailing()
    {
        var shift = _invocation++;
        for (var i = 0; i < Batch; i++)
        {
            var trade = Shifted(i, shift);
            var figures = TradeFigures.Of(trade);
            _now = Math.Max(_now, trade.TradeTimeMs);
            if (Dedup(_symbols[i], trade))
            {
                Tumbling(_symbols[i], trade, figures);
                Trailing(_symbols[i], trade, figures);
            }
        }

        _tumbling.DropBefore(_settings.WindowStart(_now - _settings.RetentionMs));
        return _dedup.Count;
    }

    private ParsedAggTrade Shifted(int i, long shift)
    {
        var trade = _trades[i];
        var fills = shift * _fillStride[i];
        return trade with
        {
            AggregateId = trade.AggregateId + (shift * _idStride[i]),
            FirstTradeId = trade.FirstTradeId + fills,
            LastTradeId = trade.LastTradeId + fills,
            TradeTimeMs = trade.TradeTimeMs + (shift * _spanMs),
        };
    }

    private bool Dedup(string symbol, in ParsedAggTrade trade)
    {
        if (!_dedup.TryGet(symbol, out var dedup))
        {
            dedup = new SymbolDedup(new SequenceTracker(_settings.MaxHolesPerSymbol));
        }

        if (!dedup.TryAccept(trade.AggregateId, trade.FirstTradeId, _now, out _))
        {
            return false;
        }

        _dedup.Put(symbol, dedup);
        return true;
    }

    private void Tumbling(string symbol, in ParsedAggTrade trade, in TradeFigures figures)
    {
        var start = _settings.WindowStart(trade.TradeTimeMs);
        if (!_tumbling.TryGet(symbol, start, out var window))
        {
            window = new TumblingWindow();
        }

        window.Add(trade, figures);
        _tumbling.Put(symbol, start, window);
    }

    private void Trailing(string symbol, in ParsedAggTrade trade, in TradeFigures figures)
    {
        if (_trailing.TryAdd(symbol, trade.TradeTimeMs, figures, _now))
        {
            _trailing.Advance(symbol, _now);
        }
    }
}
