using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Contracts;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Processing.Idempotence;

namespace TakerVolumeView;

/// <summary>What <see cref="ViewModel.Apply"/> did with a record.</summary>
internal enum ApplyOutcome
{
    /// <summary>The record changed what is shown.</summary>
    Applied,

    /// <summary>A new version of an older window than the symbol's current one: remembered for deduplication, not shown.</summary>
    Older,

    /// <summary>Same owner epoch, revision not newer: a replay or broker duplicate (OutputDeduplicator).</summary>
    Repeat,

    /// <summary>An older owner epoch: a zombie's write (OutputDeduplicator).</summary>
    Stale,

    /// <summary>An alert or gap state already seen.</summary>
    Duplicate,

    /// <summary>A feed gap of another market.</summary>
    OtherMarket,

    /// <summary>Decoded, but a decimal field is not exact decimal text: counted as undecodable.</summary>
    Invalid,

    /// <summary>A null value (tombstone) or a message of a type the view does not read.</summary>
    Ignored,
}

/// <summary>The newest version of a symbol's current tumbling window. Amounts are exact; only the display rounds.</summary>
internal sealed record WindowView(long StartMs, decimal Buy, decimal Sell, long Trades, long AggregateTrades, long Revision, bool Final)
{
    public decimal Total => Buy + Sell;
}

/// <summary>The newest trailing-15-minute value of a symbol, as of <see cref="EndMs"/>.</summary>
internal sealed record TrailingView(long EndMs, decimal Buy, decimal Sell, long Trades);

/// <summary>What is shown of one symbol.</summary>
internal sealed class SymbolView(string symbol)
{
    public string Symbol { get; } = symbol;

    public WindowView? Window { get; set; }

    public TrailingView? Trailing { get; set; }

    /// <summary>Buy + sell quote volume of the current window; zero without one.</summary>
    public decimal CurrentTotal => Window?.Total ?? 0m;
}

internal sealed record AlertView(string Symbol, long AggregateTradeId, long TradeTimeMs, decimal Price, decimal Quantity, decimal QuoteNotional, Side Side, decimal Threshold);

internal sealed record ReconciliationView(string Symbol, long WindowStartMs, ReconciliationOutcome Outcome, string Explanation, long WindowRevision);

internal sealed record GapView(string Symbol, string Stream, FeedGapKind Kind, long? FirstId, long? LastId, long GapStartMs, long GapEndMs, bool Filled, string Detail);

/// <summary>
/// Everything the view shows, built from the output topics' records: no Kafka, no clock, no I/O (the caller passes
/// the time a record was applied). Outputs of the processor are versioned by the <c>streaming.epoch</c> and
/// <c>streaming.revision</c> headers, and a replay can repeat or reorder them, so each goes through an
/// <see cref="OutputDeduplicator{TKey}"/> and only accepted ones change the state. Not thread-safe: the caller locks.
/// </summary>
internal sealed class ViewModel
{
    private readonly Dictionary<string, SymbolView> _symbols = new(StringComparer.Ordinal);
    private readonly OutputDeduplicator<string> _tumblingVersions = new(StringComparer.Ordinal);
    private readonly OutputDeduplicator<string> _slidingVersions = new(StringComparer.Ordinal);
    private readonly OutputDeduplicator<string> _reconciliationVersions = new(StringComparer.Ordinal);
    private readonly HashSet<(string Symbol, long AggregateTradeId)> _alertIds = [];
    private readonly List<AlertView> _recentAlerts = [];
    private readonly Dictionary<string, ReconciliationOutcome> _reconciled = new(StringComparer.Ordinal);
    private readonly Dictionary<ReconciliationOutcome, long> _outcomeCounts = [];
    private readonly RecentList<ReconciliationView> _recentNonMatches;
    private readonly Dictionary<string, bool> _gapFilled = new(StringComparer.Ordinal);
    private readonly RecentList<GapView> _recentGaps;
    private readonly Dictionary<string, long> _recordsByTopic = new(StringComparer.Ordinal);

    public ViewModel(Market market, int alertCapacity = 8, int nonMatchCapacity = 5, int gapCapacity = 5)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(alertCapacity);
        ArgumentOutOfRangeException.ThrowIfNegative(nonMatchCapacity);
        ArgumentOutOfRangeException.ThrowIfNegative(gapCapacity);
        Market = market;
        AlertCapacity = alertCapacity;
        NonMatchCapacity = nonMatchCapacity;
        _recentNonMatches = new RecentList<ReconciliationView>(nonMatchCapacity);
        GapCapacity = gapCapacity;
        _recentGaps = new RecentList<GapView>(gapCapacity);
    }

    public Market Market { get; }

    public int AlertCapacity { get; }

    public int NonMatchCapacity { get; }

    public int GapCapacity { get; }

    /// <summary>Records read from every topic, whatever became of them.</summary>
    public long RecordsRead { get; private set; }

    /// <summary>Records read per topic.</summary>
    public IReadOnlyDictionary<string, long> RecordsByTopic => _recordsByTopic;

    /// <summary>Records whose value did not deserialize, or held a decimal that is not exact decimal text; skipped.</summary>
    public long Undecodable { get; private set; }

    /// <summary>When a record last changed what is shown.</summary>
    public DateTimeOffset? LastUpdate { get; private set; }

    /// <summary>Processor outputs dropped as repeats (same epoch, revision not newer).</summary>
    public long OutputRepeats => _tumblingVersions.RepeatCount + _slidingVersions.RepeatCount + _reconciliationVersions.RepeatCount;

    /// <summary>Processor outputs dropped as stale (an older owner epoch).</summary>
    public long OutputStale => _tumblingVersions.StaleCount + _slidingVersions.StaleCount + _reconciliationVersions.StaleCount;

    public IReadOnlyDictionary<string, SymbolView> Symbols => _symbols;

    /// <summary>Distinct large-trade alerts seen (one per symbol and aggregate trade id).</summary>
    public long AlertCount => _alertIds.Count;

    /// <summary>The newest alerts by trade time, newest first, at most <see cref="AlertCapacity"/>.</summary>
    public IReadOnlyList<AlertView> RecentAlerts => _recentAlerts;

    /// <summary>Closed windows per outcome; the newest record of each (symbol, window) counts.</summary>
    public IReadOnlyDictionary<ReconciliationOutcome, long> OutcomeCounts => _outcomeCounts;

    /// <summary>The last windows whose newest reconciliation is not a match, newest first.</summary>
    /// <remarks>
    /// Every symbol's first window is INCOMPLETE_START when the processor starts on a running market: those come
    /// after the others, so a window that needs a look (missing trades, a mismatch) stays on screen.
    /// </remarks>
    public IReadOnlyList<ReconciliationView> RecentNonMatches => _recentNonMatches.Items;

    /// <summary>Feed gaps of this market reported and not (yet) filled.</summary>
    public long OpenGaps { get; private set; }

    /// <summary>Of <see cref="OpenGaps"/>, the depth-update gaps: depth cannot be fetched again, so these stay open.</summary>
    public long OpenDepthGaps { get; private set; }

    /// <summary>Feed gaps of this market a backfill filled later.</summary>
    public long FilledGaps { get; private set; }

    /// <summary>The last gaps reported or filled, newest first.</summary>
    /// <remarks>Depth gaps, which cannot be backfilled and do not touch taker volumes, come after the others.</remarks>
    public IReadOnlyList<GapView> RecentGaps => _recentGaps.Items;

    /// <summary>The latest scrape of the processor's metrics; null without --metrics-url.</summary>
    public MetricsSnapshot? Metrics { get; set; }

    /// <summary>What the Kafka reader is doing (e.g. partitions assigned), for the header.</summary>
    public string? ReaderStatus { get; set; }

    /// <summary>The Kafka reader's last error, if any.</summary>
    public string? ReaderError { get; private set; }

    /// <summary>When <see cref="ReaderError"/> happened.</summary>
    public DateTimeOffset? ReaderErrorAt { get; private set; }

    public void ReportReaderError(string error, DateTimeOffset at)
    {
        ReaderError = error;
        ReaderErrorAt = at;
    }

    /// <summary>The top <paramref name="count"/> symbols by current window quote volume (buy + sell), then by name.</summary>
    public IReadOnlyList<SymbolView> Top(int count) => _symbols.Values
        .OrderByDescending(s => s.CurrentTotal)
        .ThenBy(s => s.Symbol, StringComparer.Ordinal)
        .Take(count)
        .ToList();

    /// <summary>Counts a record of <paramref name="topic"/> whose value could not be decoded; it is skipped.</summary>
    public void RecordUndecodable(string topic)
    {
        CountRead(topic);
        Undecodable++;
    }

    /// <summary>Applies one decoded record. <paramref name="key"/> (the symbol) stands in for an empty symbol field.</summary>
    public ApplyOutcome Apply(string topic, string? key, Headers? headers, IMessage? message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(topic);
        CountRead(topic);
        var outcome = message switch
        {
            TakerVolumeWindow window => ApplyWindow(Symbol(window.Symbol, key), window, headers),
            SlidingTakerVolume sliding => ApplySliding(Symbol(sliding.Symbol, key), sliding, headers),
            LargeTradeAlert alert => ApplyAlert(Symbol(alert.Symbol, key), alert),
            WindowReconciliation reconciliation => ApplyReconciliation(Symbol(reconciliation.Symbol, key), reconciliation, headers),
            FeedGap gap => ApplyGap(gap),
            _ => ApplyOutcome.Ignored,
        };

        if (outcome == ApplyOutcome.Invalid)
        {
            Undecodable++;
        }
        else if (outcome == ApplyOutcome.Applied)
        {
            LastUpdate = now;
        }

        return outcome;
    }

    private ApplyOutcome ApplyWindow(string symbol, TakerVolumeWindow window, Headers? headers)
    {
        if (!TryTotals(window.Totals, out var buy, out var sell))
        {
            return ApplyOutcome.Invalid;
        }

        var decision = _tumblingVersions.Offer($"{symbol}@{window.WindowStartMs}", headers);
        if (decision != Decision.Accept)
        {
            return Dropped(decision);
        }

        var state = GetOrAdd(symbol);
        if (state.Window is { } current && window.WindowStartMs < current.StartMs)
        {
            return ApplyOutcome.Older;
        }

        state.Window = new WindowView(window.WindowStartMs, buy, sell, window.Totals?.TradeCount ?? 0, window.Totals?.AggregateTradeCount ?? 0, window.Revision, window.Final);
        return ApplyOutcome.Applied;
    }

    private ApplyOutcome ApplySliding(string symbol, SlidingTakerVolume sliding, Headers? headers)
    {
        if (!TryTotals(sliding.Totals, out var buy, out var sell))
        {
            return ApplyOutcome.Invalid;
        }

        var decision = _slidingVersions.Offer(symbol, headers);
        if (decision != Decision.Accept)
        {
            return Dropped(decision);
        }

        GetOrAdd(symbol).Trailing = new TrailingView(sliding.WindowEndMs, buy, sell, sliding.Totals?.TradeCount ?? 0);
        return ApplyOutcome.Applied;
    }

    private ApplyOutcome ApplyAlert(string symbol, LargeTradeAlert alert)
    {
        if (!TryDecimal(alert.Price, out var price) || !TryDecimal(alert.Quantity, out var quantity)
            || !TryDecimal(alert.QuoteNotional, out var notional) || !TryDecimal(alert.ThresholdQuote, out var threshold))
        {
            return ApplyOutcome.Invalid;
        }

        // At most one alert per aggregate trade: a replay that writes it again is not a second alert.
        if (!_alertIds.Add((symbol, alert.AggregateTradeId)))
        {
            return ApplyOutcome.Duplicate;
        }

        var view = new AlertView(symbol, alert.AggregateTradeId, alert.TradeTimeMs, price, quantity, notional, alert.TakerSide, threshold);
        var at = _recentAlerts.FindIndex(a => IsNewer(view, a));
        _recentAlerts.Insert(at < 0 ? _recentAlerts.Count : at, view);
        if (_recentAlerts.Count > AlertCapacity)
        {
            _recentAlerts.RemoveAt(_recentAlerts.Count - 1);
        }

        return ApplyOutcome.Applied;

        static bool IsNewer(AlertView a, AlertView b) =>
            a.TradeTimeMs > b.TradeTimeMs || (a.TradeTimeMs == b.TradeTimeMs && a.AggregateTradeId > b.AggregateTradeId);
    }

    private ApplyOutcome ApplyReconciliation(string symbol, WindowReconciliation reconciliation, Headers? headers)
    {
        var key = $"{symbol}@{reconciliation.WindowStartMs}";
        var decision = _reconciliationVersions.Offer(key, headers);
        if (decision != Decision.Accept)
        {
            return Dropped(decision);
        }

        var outcome = OutcomeOf(reconciliation);
        if (_reconciled.TryGetValue(key, out var previous))
        {
            _outcomeCounts[previous]--;
        }

        _reconciled[key] = outcome;
        _outcomeCounts[outcome] = _outcomeCounts.GetValueOrDefault(outcome) + 1;

        _recentNonMatches.Remove(key);
        if (outcome != ReconciliationOutcome.Match)
        {
            _recentNonMatches.Add(key, new ReconciliationView(symbol, reconciliation.WindowStartMs, outcome, reconciliation.Explanation, reconciliation.WindowRevision), minor: outcome == ReconciliationOutcome.IncompleteStart);
        }

        return ApplyOutcome.Applied;
    }

    private ApplyOutcome ApplyGap(FeedGap gap)
    {
        if (gap.Market != Market)
        {
            return ApplyOutcome.OtherMarket;
        }

        // The fill is published with the same ids and times as the detection; a connection gap has no ids.
        var range = gap.MissingIds is { } ids ? $"{ids.First}..{ids.Last}" : $"t{gap.GapStartMs}";
        var key = $"{gap.Symbol}|{gap.Stream}|{gap.Kind}|{range}";
        if (_gapFilled.TryGetValue(key, out var filled))
        {
            // A repeat of either state, or a detection replayed after its fill, changes nothing.
            if (filled || !gap.Filled)
            {
                return ApplyOutcome.Duplicate;
            }

            OpenGaps--;
            OpenDepthGaps -= gap.Kind == FeedGapKind.DepthUpdateIds ? 1 : 0;
            FilledGaps++;
        }
        else if (gap.Filled)
        {
            FilledGaps++;
        }
        else
        {
            OpenGaps++;
            OpenDepthGaps += gap.Kind == FeedGapKind.DepthUpdateIds ? 1 : 0;
        }

        _gapFilled[key] = gap.Filled;
        _recentGaps.Remove(key);
        _recentGaps.Add(key, new GapView(gap.Symbol, gap.Stream, gap.Kind, gap.MissingIds?.First, gap.MissingIds?.Last, gap.GapStartMs, gap.GapEndMs, gap.Filled, gap.Detail), minor: gap.Kind == FeedGapKind.DepthUpdateIds);
        return ApplyOutcome.Applied;
    }

    /// <summary>The outcome field; a record written before it existed has only <c>matches</c>.</summary>
    private static ReconciliationOutcome OutcomeOf(WindowReconciliation reconciliation) =>
        reconciliation.Outcome == ReconciliationOutcome.Unspecified && reconciliation.Matches
            ? ReconciliationOutcome.Match
            : reconciliation.Outcome;

    private void CountRead(string topic)
    {
        RecordsRead++;
        _recordsByTopic[topic] = _recordsByTopic.GetValueOrDefault(topic) + 1;
    }

    private SymbolView GetOrAdd(string symbol)
    {
        if (!_symbols.TryGetValue(symbol, out var state))
        {
            _symbols[symbol] = state = new SymbolView(symbol);
        }

        return state;
    }

    private static string Symbol(string field, string? key) => field.Length > 0 ? field : key ?? string.Empty;

    private static ApplyOutcome Dropped(Decision decision) => decision == Decision.Stale ? ApplyOutcome.Stale : ApplyOutcome.Repeat;

    private static bool TryTotals(TakerVolumeTotals? totals, out decimal buy, out decimal sell)
    {
        // Both parsed (not &&): both out values are assigned either way.
        return TryDecimal(totals?.TakerBuyQuoteVolume, out buy) & TryDecimal(totals?.TakerSellQuoteVolume, out sell);
    }

    /// <summary>Exact decimal text; an unset (empty) field is zero.</summary>
    private static bool TryDecimal(string? text, out decimal value)
    {
        value = 0m;
        return string.IsNullOrEmpty(text) || ExactDecimal.TryParse(text, out value);
    }
}
