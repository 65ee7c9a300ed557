using System.Globalization;
using Streaming.Contracts;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Market.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Processing.Idempotence;

namespace TakerVolume.Tests.Crash;

/// <summary>
/// Compares what the processor published with the oracle of the input actually produced, as a downstream consumer
/// sees it: latest values chosen by key and (epoch, revision), events by their identity. Every difference is
/// collected (not just the first), so a failure shows the whole picture.
/// </summary>
internal sealed class OutputChecks(CrashWorkload workload, CrashInput input)
{
    public const string Normalized = "binance.spot.aggtrade.normalized.v1";
    public const string Tumbling = "binance.spot.taker-volume.tumbling-15m.v1";
    public const string Sliding = "binance.spot.taker-volume.sliding-15m.v1";
    public const string Alerts = "binance.spot.aggtrade.alerts.v1";
    public const string Reconciliation = "binance.spot.taker-volume.reconciliation.v1";
    public const string Gaps = "binance.all.feed.gaps.v1";
    public const string DeadLetters = "binance.all.events.dead-letter.v1";
    private const int MaxListed = 5;

    public List<string> Problems { get; } = [];

    /// <summary>What was read and dropped, per topic, for the figures.</summary>
    public List<string> Figures { get; } = [];

    /// <summary>The latest value of each (symbol, window) equals the oracle: every total, count, id and price.</summary>
    public void CheckTumbling(List<OutputRecord> records)
    {
        var latest = Latest<TakerVolumeWindow>(Tumbling, records, w => Key(w.Symbol, w.WindowStartMs));
        var expectedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var symbol in workload.Symbols)
        {
            var trades = input.TradesOf(symbol.Name);
            foreach (var (start, final) in new[] { (workload.WindowStartMs, true), (workload.WindowStartMs + CrashWorkload.WindowMs, false) })
            {
                var key = Key(symbol.Name, start);
                expectedKeys.Add(key);
                if (!latest.TryGetValue(key, out var window))
                {
                    Problems.Add($"tumbling {key}: no value published");
                    continue;
                }

                var expected = CrashOracle.Of(trades.Where(t => t.TradeTimeMs >= start && t.TradeTimeMs < start + CrashWorkload.WindowMs));
                CompareTotals($"tumbling {key}", window.Totals, expected);
                Compare($"tumbling {key} first aggregate id", window.FirstAggregateTradeId, expected.FirstAggregateId);
                Compare($"tumbling {key} last aggregate id", window.LastAggregateTradeId, expected.LastAggregateId);
                Compare($"tumbling {key} first trade id", window.FirstTradeId, expected.FirstTradeId);
                Compare($"tumbling {key} last trade id", window.LastTradeId, expected.LastTradeId);
                Compare($"tumbling {key} open", ExactDecimal.Parse(window.Open), expected.Open);
                Compare($"tumbling {key} high", ExactDecimal.Parse(window.High), expected.High);
                Compare($"tumbling {key} low", ExactDecimal.Parse(window.Low), expected.Low);
                Compare($"tumbling {key} close", ExactDecimal.Parse(window.Close), expected.Close);
                Compare($"tumbling {key} final", window.Final, final);
            }
        }

        Unexpected("tumbling windows", latest.Keys.Except(expectedKeys));
    }

    /// <summary>The latest trailing value of each symbol ends at the last stream time and holds exactly the trades of (T − 15 min, T].</summary>
    public void CheckSliding(List<OutputRecord> records)
    {
        var latest = Latest<SlidingTakerVolume>(Sliding, records, s => s.Symbol);
        foreach (var symbol in workload.Symbols)
        {
            if (!latest.TryGetValue(symbol.Name, out var sliding))
            {
                Problems.Add($"sliding {symbol.Name}: no value published");
                continue;
            }

            Compare($"sliding {symbol.Name} window end", sliding.WindowEndMs, workload.CloseTimeMs);
            Compare($"sliding {symbol.Name} window length", sliding.WindowLengthMs, CrashWorkload.WindowMs);
            CompareTotals($"sliding {symbol.Name}", sliding.Totals, CrashOracle.Trailing(input.TradesOf(symbol.Name), workload.CloseTimeMs, CrashWorkload.WindowMs));
        }

        Unexpected("sliding symbols", latest.Keys.Except(workload.Symbols.Select(s => s.Name)));
    }

    /// <summary>Each symbol's first window, compared with the exchange's kline (the oracle's figures), matches.</summary>
    public void CheckReconciliations(List<OutputRecord> records)
    {
        var latest = Latest<WindowReconciliation>(Reconciliation, records, r => Key(r.Symbol, r.WindowStartMs));
        foreach (var symbol in workload.Symbols)
        {
            var key = Key(symbol.Name, workload.WindowStartMs);
            if (!latest.TryGetValue(key, out var reconciliation))
            {
                Problems.Add($"reconciliation {key}: none published");
            }
            else if (reconciliation.Outcome != ReconciliationOutcome.Match || !reconciliation.Matches)
            {
                Problems.Add($"reconciliation {key}: {reconciliation.Outcome}, {reconciliation.Explanation}");
            }
        }

        Unexpected("reconciled windows", latest.Keys.Except(workload.Symbols.Select(s => Key(s.Name, workload.WindowStartMs))));
    }

    /// <summary>
    /// Every (symbol, aggregate id) of the input at least once and nothing else; the repeats of an id (replays after a
    /// crash, a delayed produce retried) are byte-identical copies; each carries the trade's exact figures, from REST
    /// exactly for the held-back ids (the backfill's overlap with the live feed was recognised as copies).
    /// </summary>
    public void CheckNormalized(List<OutputRecord> records)
    {
        var byId = new Dictionary<(string Symbol, long Id), List<OutputRecord>>();
        var decoded = new Dictionary<(string Symbol, long Id), AggTrade>();
        foreach (var record in records)
        {
            var trade = TopicReader.Decode<AggTrade>(record);
            var id = (trade.Symbol, trade.AggregateTradeId);
            if (!byId.TryGetValue(id, out var copies))
            {
                byId[id] = copies = [];
                decoded[id] = trade;
            }

            copies.Add(record);
        }

        Missing("normalized trades", input.Distinct.Keys.Except(byId.Keys).Select(k => $"{k.Symbol}#{k.Id}"));
        Unexpected("normalized trades", byId.Keys.Except(input.Distinct.Keys).Select(k => $"{k.Symbol}#{k.Id}"));
        var differing = byId.Where(g => g.Value.Skip(1).Any(r => !r.Value.AsSpan().SequenceEqual(g.Value[0].Value))).Select(g => $"{g.Key.Symbol}#{g.Key.Id}").ToList();
        if (differing.Count > 0)
        {
            Problems.Add($"normalized: {differing.Count} ids repeated with different bytes, e.g. {string.Join(", ", differing.Take(MaxListed))}");
        }

        var wrong = new List<string>();
        foreach (var (id, trade) in decoded)
        {
            if (!input.Distinct.TryGetValue(id, out var sent))
            {
                continue;
            }

            var held = workload.Symbols.Single(s => s.Name == id.Symbol).IsHeldId(id.Id);
            if (ExactDecimal.Parse(trade.Price) != sent.Price.Value || ExactDecimal.Parse(trade.Quantity) != sent.Quantity.Value
                || trade.FirstTradeId != sent.FirstTradeId || trade.LastTradeId != sent.LastTradeId || trade.TradeTimeMs != sent.TradeTimeMs
                || trade.BuyerIsMaker != sent.IsBuyerMaker || (trade.Source == Source.RestBackfill) != held)
            {
                wrong.Add($"{id.Symbol}#{id.Id}");
            }
        }

        if (wrong.Count > 0)
        {
            Problems.Add($"normalized: {wrong.Count} trades differ from the input (figures, or REST source not exactly the held ids), e.g. {string.Join(", ", wrong.Take(MaxListed))}");
        }

        Figures.Add(string.Create(CultureInfo.InvariantCulture, $"{Normalized}: {records.Count} records, {byId.Count} distinct ids, {records.Count - byId.Count} byte-identical repeats"));
    }

    /// <summary>The distinct large-trade alerts are exactly the input's trades of 100,000 USDT or more, with their side and notional.</summary>
    public void CheckAlerts(List<OutputRecord> records)
    {
        var alerts = new Dictionary<(string Symbol, long Id), LargeTradeAlert>();
        foreach (var record in records)
        {
            var alert = TopicReader.Decode<LargeTradeAlert>(record);
            if (alert.Kind != AlertKind.LargeTrade)
            {
                Problems.Add($"alert of kind {alert.Kind} for {alert.Symbol} (none configured)");
                continue;
            }

            alerts.TryAdd((alert.Symbol, alert.AggregateTradeId), alert);
        }

        var expected = input.Distinct.Where(t => CrashOracle.IsLarge(t.Value)).ToDictionary(t => t.Key, t => t.Value);
        Missing("alerts", expected.Keys.Except(alerts.Keys).Select(k => $"{k.Symbol}#{k.Id}"));
        Unexpected("alerts", alerts.Keys.Except(expected.Keys).Select(k => $"{k.Symbol}#{k.Id}"));
        foreach (var (id, alert) in alerts)
        {
            if (expected.TryGetValue(id, out var trade)
                && (ExactDecimal.Parse(alert.QuoteNotional) != ExactDecimal.Multiply(trade.Price.Value, trade.Quantity.Value)
                    || alert.TakerSide != (trade.IsTakerBuy ? Side.TakerBuy : Side.TakerSell)))
            {
                Problems.Add($"alert {id.Symbol}#{id.Id}: notional {alert.QuoteNotional} side {alert.TakerSide}, the trade says otherwise");
            }
        }

        Figures.Add(string.Create(CultureInfo.InvariantCulture, $"{Alerts}: {records.Count} records, {alerts.Count} distinct alerts ({expected.Count} expected)"));
    }

    /// <summary>
    /// Feed gaps name only ids of the held-back blocks (never ids that were not missing, never a reconciliation
    /// shortfall); each symbol's whole block was reported open; and every range reported open is followed, later in
    /// the symbol's records, by a filled record covering it. A hole filled in several commits is reported filled and
    /// its remainder open again (SymbolDedup.CheckHoles); those are counted as partial fills.
    /// </summary>
    public void CheckGaps(List<OutputRecord> records)
    {
        var gaps = records.Select(TopicReader.Decode<FeedGap>).ToList();
        int open = 0, filled = 0, partial = 0;
        foreach (var symbol in workload.Symbols)
        {
            var mine = gaps.Where(g => g.Symbol == symbol.Name).ToList();
            var block = $"[{symbol.HeldFirstId}, {symbol.HeldLastId}]";
            foreach (var gap in mine.Where(g => g.MissingIds is null || g.MissingIds.First < symbol.HeldFirstId || g.MissingIds.Last > symbol.HeldLastId || g.GapStartMs != 0))
            {
                Problems.Add($"gap {symbol.Name} {Range(gap)} (filled {gap.Filled}, {gap.Detail}): not inside the held block {block}");
            }

            if (!mine.Any(g => !g.Filled && g.MissingIds?.First == symbol.HeldFirstId && g.MissingIds?.Last == symbol.HeldLastId))
            {
                Problems.Add($"gap {symbol.Name}: the held block {block} was never reported open");
            }

            for (var i = 0; i < mine.Count; i++)
            {
                var gap = mine[i];
                if (gap.Filled || gap.MissingIds is null)
                {
                    filled += gap.Filled ? 1 : 0;
                    continue;
                }

                open++;
                if (!mine.Skip(i + 1).Any(later => later.Filled && later.MissingIds is { } r && r.First <= gap.MissingIds.First && r.Last >= gap.MissingIds.Last))
                {
                    Problems.Add($"gap {symbol.Name} {Range(gap)}: reported open, never reported filled afterwards");
                }

                if (mine.Take(i).Any(earlier => earlier.Filled && earlier.MissingIds is { } r && r.First <= gap.MissingIds.First && r.Last >= gap.MissingIds.Last))
                {
                    partial++;
                }
            }
        }

        Unexpected("gap symbols", gaps.Select(g => g.Symbol).Except(workload.Symbols.Select(s => s.Name)));
        Figures.Add(string.Create(CultureInfo.InvariantCulture, $"{Gaps}: {records.Count} records, {open} open, {filled} filled, {partial} open again after a partial fill"));
    }

    public void CheckDeadLetters(List<OutputRecord> records)
    {
        foreach (var record in records.Take(MaxListed))
        {
            var letter = TopicReader.Decode<DeadLetter>(record);
            Problems.Add($"dead letter: {letter.ErrorMessage}");
        }
    }

    private static string Key(string symbol, long start) => string.Create(CultureInfo.InvariantCulture, $"{symbol}@{start}");

    private static string Range(FeedGap gap) => gap.MissingIds is { } r ? string.Create(CultureInfo.InvariantCulture, $"[{r.First}, {r.Last}]") : "(no ids)";

    private Dictionary<string, T> Latest<T>(string topic, List<OutputRecord> records, Func<T, string> key)
        where T : class, Google.Protobuf.IMessage<T>, new()
    {
        var deduplicator = new OutputDeduplicator<string>(StringComparer.Ordinal);
        var latest = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var value = TopicReader.Decode<T>(record);
            if (deduplicator.Offer(key(value), record.Headers) == Decision.Accept)
            {
                latest[key(value)] = value;
            }
        }

        Figures.Add(string.Create(CultureInfo.InvariantCulture,
            $"{topic}: {records.Count} records, {deduplicator.RepeatCount} repeats and {deduplicator.StaleCount} stale dropped, {deduplicator.UnversionedCount} unversioned, {latest.Count} keys"));
        return latest;
    }

    private void CompareTotals(string what, TakerVolumeTotals actual, CrashOracle expected)
    {
        Compare($"{what} taker buy quote", ExactDecimal.Parse(actual.TakerBuyQuoteVolume), expected.TakerBuyQuote);
        Compare($"{what} taker sell quote", ExactDecimal.Parse(actual.TakerSellQuoteVolume), expected.TakerSellQuote);
        Compare($"{what} taker buy base", ExactDecimal.Parse(actual.TakerBuyBaseVolume), expected.TakerBuyBase);
        Compare($"{what} taker sell base", ExactDecimal.Parse(actual.TakerSellBaseVolume), expected.TakerSellBase);
        Compare($"{what} aggregate trades", actual.AggregateTradeCount, expected.AggregateCount);
        Compare($"{what} trades (n)", actual.TradeCount, expected.TradeCount);
    }

    private void Compare<T>(string what, T actual, T expected)
        where T : IEquatable<T>
    {
        if (!actual.Equals(expected))
        {
            Problems.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: {actual}, expected {expected}"));
        }
    }

    private void Missing(string what, IEnumerable<string> keys) => List("missing " + what, keys);

    private void Unexpected(string what, IEnumerable<string> keys) => List("unexpected " + what, keys);

    private void List(string what, IEnumerable<string> keys)
    {
        var list = keys.ToList();
        if (list.Count > 0)
        {
            Problems.Add(string.Create(CultureInfo.InvariantCulture, $"{list.Count} {what}, e.g. {string.Join(", ", list.Take(MaxListed))}"));
        }
    }
}
