using Streaming.Processing.Idempotence;
using TakerVolume.Dedup;
using TakerVolume.Reconciliation;
using TakerVolume.Windows;

namespace TakerVolume.Topology;

internal sealed partial class TakerVolumeProcessor
{
    private readonly List<WindowRef> _work = [];
    private readonly List<HoleTimer> _opened = [];
    private readonly List<HoleTimer> _filled = [];
    private readonly List<string> _symbols = [];

    /// <summary>Once per commit: everything coalesced since the last one goes out.</summary>
    public void Flush()
    {
        if (_now < 0)
        {
            return;
        }

        _metrics.SetEventTimeLag(_context.Time.GetUtcNow().ToUnixTimeMilliseconds() - _now);
        CloseWindows();
        PublishWindows();
        PublishTrailing();
        CheckHoles();
        DropExpiredWindows();
    }

    private void CloseWindows()
    {
        _work.Clear();
        foreach (var reference in _openWindows)
        {
            if (reference.Start + _settings.WindowSizeMs + _settings.GraceMs <= _now)
            {
                _work.Add(reference);
            }
        }

        foreach (var reference in _work)
        {
            _openWindows.Remove(reference);
            if (!_tumbling.TryGet(reference.Symbol, reference.Start, out var window))
            {
                continue;
            }

            window.Final = true;
            window.Changed |= window.HasTrades;
            _tumbling.Put(reference.Symbol, reference.Start, window);
            _changedWindows.Add(reference);
        }
    }

    private void PublishWindows()
    {
        if (_changedWindows.Count == 0)
        {
            return;
        }

        var nowUs = NowUs();
        foreach (var reference in _changedWindows)
        {
            if (!_tumbling.TryGet(reference.Symbol, reference.Start, out var window))
            {
                continue;
            }

            if (window.Changed)
            {
                var kind = !window.Final ? "interim" : window.FinalPublished ? "revision" : "final";
                window.Revision++;
                window.Changed = false;
                window.FinalPublished |= window.Final;
                _context.Emit(Sinks.Tumbling, reference.Symbol, OutputMessages.Window(reference.Symbol, Market, reference.Start, _settings.WindowSizeMs, window, nowUs), window.Revision, reference.Start);
                _metrics.WindowEmitted(kind);
            }

            if (window.NeedsReconciliation)
            {
                Reconcile(reference, window, nowUs);
            }

            _tumbling.Put(reference.Symbol, reference.Start, window);
        }

        _changedWindows.Clear();
    }

    private void Reconcile(WindowRef reference, TumblingWindow window, long nowUs)
    {
        var kline = window.Kline!;
        var firstTradeId = _dedup.TryGet(reference.Symbol, out var dedup) ? dedup.FirstTradeId : -1;
        var comparison = KlineComparison.Of(window, kline, firstTradeId);
        window.ReconciledRevision = window.Revision;
        var record = OutputMessages.Reconciliation(reference.Symbol, Market, reference.Start, _settings.WindowSizeMs, window, kline, comparison, nowUs);
        // Revision: the window revision compared, plus one, so a kline-only window (revision 0) still has revision 1.
        _context.Emit(Sinks.Reconciliation, reference.Symbol, record, window.Revision + 1, reference.Start);
        _metrics.Reconciled(comparison.Outcome.ToString());
        if (comparison.Outcome == KlineOutcome.MissingTrades && dedup is not null)
        {
            var end = reference.Start + _settings.WindowSizeMs;
            IdRange? aggregateHole = null;
            foreach (var hole in dedup.Seen.Holes)
            {
                // The aggregate ids the window lacks, when the dedup store knows them (a hole between trades it counted).
                if (hole.First > window.FirstAggregateId - 1 && hole.Last < window.LastAggregateId + 1)
                {
                    aggregateHole = aggregateHole is { } known ? new IdRange(known.First, hole.Last) : hole;
                }
            }

            PublishGap(reference.Symbol, dedup, aggregateHole, filled: false, "reconciliation",
                $"window {reference.Start}..{end}: {comparison.Explanation}", reference.Start, end);
            _dedup.Put(reference.Symbol, dedup);
        }
    }

    private void PublishTrailing()
    {
        var nowUs = NowUs();
        var now = _context.Time.GetTimestamp();
        foreach (var (symbol, totals) in _trailing.Symbols)
        {
            _trailing.Advance(symbol, _now);
            if (!totals.Changed || (totals.Revision > 0 && _context.Time.GetElapsedTime(totals.LastEmittedAt, now) < _settings.SlidingEmitInterval))
            {
                continue;
            }

            totals.Changed = false;
            totals.Revision++;
            totals.LastEmittedAt = now;
            _context.Emit(Sinks.Sliding, symbol, OutputMessages.Sliding(symbol, Market, _now, _settings.SlidingMs, totals.Totals, nowUs), totals.Revision, _now);
            _metrics.SlidingEmitted();
            if (totals.Totals.TakerBuyQuote < (_settings.TrailingBuyThreshold(symbol) ?? decimal.MaxValue))
            {
                totals.BuyAlertRaised = false;
            }

            if (totals.Totals.TakerSellQuote < (_settings.TrailingSellThreshold(symbol) ?? decimal.MaxValue))
            {
                totals.SellAlertRaised = false;
            }
        }
    }

    private void CheckHoles()
    {
        if (_symbolsWithHoles.Count == 0)
        {
            return;
        }

        _symbols.Clear();
        _symbols.AddRange(_symbolsWithHoles);
        foreach (var symbol in _symbols)
        {
            if (!_dedup.TryGet(symbol, out var dedup))
            {
                _symbolsWithHoles.Remove(symbol);
                continue;
            }

            _opened.Clear();
            _filled.Clear();
            dedup.CheckHoles(_now, _settings.HoleTimeoutMs, _opened, _filled);
            foreach (var hole in _filled)
            {
                PublishGap(symbol, dedup, hole.Range, filled: true, "filled", $"aggregate trade ids {hole.Range} arrived after being reported missing (e.g. REST backfill); the windows they belong to have a new revision");
            }

            foreach (var hole in _opened)
            {
                PublishGap(symbol, dedup, hole.Range, filled: false, "open",
                    $"aggregate trade ids {hole.Range} ({hole.Range.Count}) still missing {_settings.HoleTimeoutMs} ms of stream time after the hole was seen");
            }

            if (_opened.Count + _filled.Count > 0)
            {
                _dedup.Put(symbol, dedup);
            }

            if (dedup.Holes.Count == 0)
            {
                _symbolsWithHoles.Remove(symbol);
            }
        }
    }

    private void DropExpiredWindows()
    {
        var before = _settings.WindowStart(_now - _settings.RetentionMs);
        if (before <= _expiredBefore)
        {
            return;
        }

        _expiredBefore = before;
        _tumbling.DropBefore(before);
        _openWindows.RemoveWhere(reference => reference.Start < before);
    }

    private void PublishGap(string symbol, SymbolDedup dedup, IdRange? missing, bool filled, string state, string detail, long startMs = 0, long endMs = 0)
    {
        dedup.GapRevision++;
        var gap = OutputMessages.Gap(symbol, Market, $"{_topics.ApplicationId}/{_instanceId}", missing, startMs, endMs, filled, detail, NowUs());
        _context.Emit(Sinks.Gaps, symbol, gap, dedup.GapRevision, _now);
        _metrics.Gap(state);
    }
}
