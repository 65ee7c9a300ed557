using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Raw.V1;
using Streaming.Processing.Errors;
using Streaming.Processing.Processors;
using Streaming.Processing.State;
using TakerVolume.Configuration;
using TakerVolume.Dedup;
using TakerVolume.Parsing;
using TakerVolume.Sliding;
using TakerVolume.Trades;
using TakerVolume.Windows;

namespace TakerVolume.Topology;

/// <summary>
/// One task's taker-volume processing, for raw aggTrades and the co-partitioned raw 15-minute klines of the same
/// symbols. Per trade: parse and validate, count each aggregate trade id once (dedup store), publish the normalized
/// trade, add it to its tumbling window and the trailing window, raise alerts. Per commit (<see cref="Flush"/>):
/// publish the windows that changed (at most one value per window per commit), close windows whose grace has passed,
/// publish trailing values (throttled per symbol), compare closed windows with the exchange's klines, report holes.
/// </summary>
/// <remarks>
/// Stream time here is the newest exchange time seen by the task (trade time <c>T</c>, and kline event time <c>E</c>,
/// which arrives every 2 s per symbol even when nothing trades, so quiet windows still close and decay); not the
/// Kafka record timestamps, which are the ingest pod's clock. Every state change is guarded by the trade's aggregate
/// id, so replays after a crash and copies from redundant feeds change nothing.
/// </remarks>
internal sealed partial class TakerVolumeProcessor : IProcessor<string, RawEvent>
{
    private readonly TakerVolumeSettings _settings;
    private readonly TakerVolumeTopics _topics;
    private readonly TakerVolumeMetrics _metrics;
    private readonly string _instanceId;
    private readonly HashSet<WindowRef> _changedWindows = [];
    private readonly HashSet<WindowRef> _openWindows = [];
    private readonly HashSet<string> _symbolsWithHoles = new(StringComparer.Ordinal);
    private IProcessorContext _context = null!;
    private IKeyValueStore<string, SymbolDedup> _dedup = null!;
    private IWindowStore<string, TumblingWindow> _tumbling = null!;
    private TrailingWindows _trailing = null!;
    private long _now = -1;
    private long _expiredBefore = long.MinValue;

    public TakerVolumeProcessor(TakerVolumeSettings settings, TakerVolumeTopics topics, TakerVolumeMetrics metrics, string instanceId)
    {
        _settings = settings;
        _topics = topics;
        _metrics = metrics;
        _instanceId = instanceId;
    }

    private Market Market => _topics.Market;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _dedup = context.GetStore<IKeyValueStore<string, SymbolDedup>>(TakerVolumeStores.Dedup);
        _tumbling = context.GetStore<IWindowStore<string, TumblingWindow>>(TakerVolumeStores.Tumbling);
        _trailing = new TrailingWindows(context.GetStore<IWindowStore<string, SlidingSecond>>(TakerVolumeStores.Sliding), _settings.SlidingMs);

        // Stream time is not stored on its own: the newest trade in the state is where it stood, near enough (a
        // kline's event time may have moved it a little further; it moves there again with the next records).
        _now = _trailing.LatestTradeTimeMs();
        foreach (var (symbol, start, window) in _tumbling.All())
        {
            _now = Math.Max(_now, window.MaxTradeTimeMs);
            var reference = new WindowRef(symbol, start);
            if (!window.Final)
            {
                _openWindows.Add(reference);
            }

            if (window.Changed || window.NeedsReconciliation)
            {
                _changedWindows.Add(reference);
            }
        }

        foreach (var (symbol, dedup) in _dedup.All())
        {
            if (dedup.Holes.Count > 0)
            {
                _symbolsWithHoles.Add(symbol);
            }
        }

        foreach (var (symbol, totals) in _trailing.Symbols)
        {
            // After a restore the alert latches start from the restored totals: no repeat of an alert already raised.
            totals.BuyAlertRaised = _settings.TrailingBuyThreshold(symbol) is { } buy && totals.Totals.TakerBuyQuote >= buy;
            totals.SellAlertRaised = _settings.TrailingSellThreshold(symbol) is { } sell && totals.Totals.TakerSellQuote >= sell;
        }
    }

    public void Process(Record<string, RawEvent> record)
    {
        var raw = record.Value;
        if (!string.Equals(record.Key, raw.Symbol, StringComparison.Ordinal))
        {
            Reject("key_mismatch", $"record key '{record.Key}' differs from the event's symbol '{raw.Symbol}'");
        }

        if (!_settings.Counts(raw.Symbol))
        {
            _metrics.Filtered();
            return;
        }

        if (string.Equals(record.Topic, _topics.RawKlines, StringComparison.Ordinal))
        {
            ProcessKline(raw);
        }
        else
        {
            ProcessTrade(raw);
        }
    }

    public void Republish()
    {
        var nowUs = NowUs();
        foreach (var (symbol, start, window) in _tumbling.All())
        {
            if (window.Revision > 0 && window.HasTrades)
            {
                _context.Emit(Sinks.Tumbling, symbol, OutputMessages.Window(symbol, Market, start, _settings.WindowSizeMs, window, nowUs), window.Revision, start);
            }
        }
    }

    private void ProcessTrade(RawEvent raw)
    {
        var symbol = raw.Symbol;
        var error = AggTradeParser.TryParse(raw.Payload.Span, symbol, out var trade, out var reason);
        if (error != PayloadError.None)
        {
            Reject(error.ToString(), reason ?? error.ToString());
        }

        TradeFigures figures;
        try
        {
            figures = trade.IsMarkedInvalid ? default : TradeFigures.Of(trade);
        }
        catch (OverflowException e)
        {
            Reject("decimal_overflow", e.Message);
            return;
        }

        Advance(trade.TradeTimeMs);
        var dedup = Dedup(symbol);
        if (!dedup.TryAccept(trade.AggregateId, trade.IsMarkedInvalid ? -1 : trade.FirstTradeId, _now, out var givenUp))
        {
            _context.RecordDuplicate();
            _metrics.Duplicate();
            return;
        }

        if (givenUp is { } hole)
        {
            PublishGap(symbol, dedup, hole, filled: false, "given_up",
                $"aggregate trade ids {hole} given up: more than {_settings.MaxHolesPerSymbol} holes open for the symbol; their trades can no longer be counted");
        }

        if (dedup.Holes.Count > 0)
        {
            _symbolsWithHoles.Add(symbol);
        }

        _dedup.Put(symbol, dedup);
        if (trade.IsMarkedInvalid)
        {
            // The exchange's own "invalid" rows (its 2022 audit): klines leave them out, so do the windows.
            _metrics.ExchangeInvalid();
            return;
        }

        _metrics.Accepted();
        _context.Emit(Sinks.Normalized, symbol, OutputMessages.Normalized(symbol, Market, trade, raw.Source), trade.AggregateId, trade.TradeTimeMs);
        AddToTumbling(symbol, trade, figures);
        AddToTrailing(symbol, trade, figures);
        var threshold = _settings.LargeTradeThreshold(symbol);
        if (figures.Quote >= threshold)
        {
            _context.Emit(Sinks.Alerts, symbol, OutputMessages.LargeTrade(symbol, Market, trade, figures, threshold, NowUs()), trade.AggregateId, trade.TradeTimeMs);
            _metrics.Alert("large_trade");
        }
    }

    private void AddToTumbling(string symbol, in ParsedAggTrade trade, in TradeFigures figures)
    {
        var start = _settings.WindowStart(trade.TradeTimeMs);
        if (start < _expiredBefore)
        {
            _metrics.Expired();
            _context.DeadLetter($"trade {trade.AggregateId} of {symbol} at {trade.TradeTimeMs} belongs to window {start}, past the window retention: counted in no window");
            return;
        }

        var window = Window(symbol, start);
        if (window.Final)
        {
            _metrics.Late();
        }

        window.Add(trade, figures);
        _tumbling.Put(symbol, start, window);
        _changedWindows.Add(new WindowRef(symbol, start));
    }

    private void AddToTrailing(string symbol, in ParsedAggTrade trade, in TradeFigures figures)
    {
        if (!_trailing.TryAdd(symbol, trade.TradeTimeMs, figures, _now))
        {
            return;
        }

        var totals = _trailing.Symbols[symbol];
        _trailing.Advance(symbol, _now);
        CheckTrailingAlert(symbol, trade, totals, takerBuy: true);
        CheckTrailingAlert(symbol, trade, totals, takerBuy: false);
    }

    private void CheckTrailingAlert(string symbol, in ParsedAggTrade trade, TrailingTotals totals, bool takerBuy)
    {
        var threshold = takerBuy ? _settings.TrailingBuyThreshold(symbol) : _settings.TrailingSellThreshold(symbol);
        if (threshold is not { } limit)
        {
            return;
        }

        var total = takerBuy ? totals.Totals.TakerBuyQuote : totals.Totals.TakerSellQuote;
        var raised = takerBuy ? totals.BuyAlertRaised : totals.SellAlertRaised;
        if (total >= limit && !raised)
        {
            _context.Emit(Sinks.Alerts, symbol, OutputMessages.Trailing(symbol, Market, trade, takerBuy, total, limit, _settings.SlidingMs, NowUs()), trade.AggregateId, trade.TradeTimeMs);
            _metrics.Alert(takerBuy ? "trailing_taker_buy" : "trailing_taker_sell");
        }

        // Re-armed once the total falls below the threshold again.
        if (takerBuy)
        {
            totals.BuyAlertRaised = total >= limit;
        }
        else
        {
            totals.SellAlertRaised = total >= limit;
        }
    }

    private void ProcessKline(RawEvent raw)
    {
        var error = KlineParser.TryParse(raw.Payload.Span, raw.Symbol, out var kline, out var reason);
        if (error != PayloadError.None)
        {
            Reject("kline_" + error, reason ?? error.ToString());
        }

        if (kline.EventTimeMs > 0)
        {
            Advance(kline.EventTimeMs);
        }

        if (!kline.IsClosed)
        {
            _metrics.Kline("open");
            return;
        }

        if (!_settings.ReconcilesWithKlines || kline.CloseTimeMs - kline.OpenTimeMs + 1 != _settings.WindowSizeMs || _settings.WindowStart(kline.OpenTimeMs) != kline.OpenTimeMs
            || kline.OpenTimeMs < _expiredBefore)
        {
            _metrics.Kline("ignored");
            return;
        }

        _metrics.Kline("closed");
        var window = Window(raw.Symbol, kline.OpenTimeMs);
        var figures = new KlineFigures(kline.QuoteVolume, kline.TakerBuyQuoteVolume, kline.BaseVolume, kline.TakerBuyBaseVolume, kline.TradeCount, kline.FirstTradeId, kline.LastTradeId);
        if (figures == window.Kline)
        {
            // The same closed kline again (a second feed, a replay): compared already.
            return;
        }

        window.Kline = figures;
        window.ReconciledRevision = TumblingWindow.NeverReconciled;
        _tumbling.Put(raw.Symbol, kline.OpenTimeMs, window);
        _changedWindows.Add(new WindowRef(raw.Symbol, kline.OpenTimeMs));
    }

    private TumblingWindow Window(string symbol, long start)
    {
        if (_tumbling.TryGet(symbol, start, out var window))
        {
            return window;
        }

        window = new TumblingWindow();
        _openWindows.Add(new WindowRef(symbol, start));
        return window;
    }

    private SymbolDedup Dedup(string symbol) =>
        _dedup.TryGet(symbol, out var dedup) ? dedup : new SymbolDedup(new Streaming.Processing.Idempotence.SequenceTracker(_settings.MaxHolesPerSymbol));

    private void Advance(long timeMs)
    {
        if (timeMs > _now)
        {
            _now = timeMs;
        }
    }

    private long NowUs() => _context.Time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Reject(string kind, string reason)
    {
        _metrics.Invalid(kind);
        throw new RecordValidationException(reason);
    }

    private readonly record struct WindowRef(string Symbol, long Start);
}
