using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Ops.V1;
using static TakerVolumeView.Tests.Records;

namespace TakerVolumeView.Tests;

public sealed class ViewModelTests
{
    private const string Tumbling = "binance.spot.taker-volume.tumbling-15m.v1";
    private const string Sliding = "binance.spot.taker-volume.sliding-15m.v1";
    private const string Alerts = "binance.spot.aggtrade.alerts.v1";
    private const string Reconciliations = "binance.spot.taker-volume.reconciliation.v1";
    private const string Gaps = "binance.all.feed.gaps.v1";

    private readonly ViewModel _model = new(Market.Spot, alertCapacity: 3, nonMatchCapacity: 2, gapCapacity: 2);

    [Fact]
    public void Tumbling_RepeatOfAnOlderRevision_DoesNotChangeTheShownValues()
    {
        Assert.Equal(ApplyOutcome.Applied, Apply(Tumbling, Window("BTCUSDT", WindowStart, "100", "50", revision: 1), Versioned(1, 1)));
        Assert.Equal(ApplyOutcome.Applied, Apply(Tumbling, Window("BTCUSDT", WindowStart, "150.25", "60", revision: 2), Versioned(1, 2)));

        // A replay writes revision 1 again, and revision 2 once more.
        Assert.Equal(ApplyOutcome.Repeat, Apply(Tumbling, Window("BTCUSDT", WindowStart, "100", "50", revision: 1), Versioned(1, 1)));
        Assert.Equal(ApplyOutcome.Repeat, Apply(Tumbling, Window("BTCUSDT", WindowStart, "150.25", "60", revision: 2), Versioned(1, 2)));

        var window = _model.Symbols["BTCUSDT"].Window!;
        Assert.Equal(150.25m, window.Buy);
        Assert.Equal(60m, window.Sell);
        Assert.Equal(2, window.Revision);
        Assert.Equal(2, _model.OutputRepeats);
        Assert.Equal(4, _model.RecordsRead);
    }

    [Fact]
    public void Tumbling_StaleEpoch_IsDropped_AndAHigherEpochWinsEvenWithALowerRevision()
    {
        Apply(Tumbling, Window("BTCUSDT", WindowStart, "100", "50", revision: 5), Versioned(2, 5));

        // A zombie of epoch 1 writes a higher revision: stale.
        Assert.Equal(ApplyOutcome.Stale, Apply(Tumbling, Window("BTCUSDT", WindowStart, "999", "999", revision: 9), Versioned(1, 9)));
        Assert.Equal(100m, _model.Symbols["BTCUSDT"].Window!.Buy);
        Assert.Equal(1, _model.OutputStale);

        // The next owner republishes from its restored state: accepted.
        Assert.Equal(ApplyOutcome.Applied, Apply(Tumbling, Window("BTCUSDT", WindowStart, "120", "50", revision: 3), Versioned(3, 3)));
        Assert.Equal(120m, _model.Symbols["BTCUSDT"].Window!.Buy);
    }

    [Fact]
    public void Tumbling_ShowsTheNewestWindowPerSymbol_AndALateFinalOfThePreviousOneDoesNotReplaceIt()
    {
        Apply(Tumbling, Window("BTCUSDT", WindowStart, "100", "50", revision: 7), Versioned(1, 7));
        Apply(Tumbling, Window("BTCUSDT", WindowStart + FifteenMinutes, "5", "6", revision: 1), Versioned(1, 1));

        // The previous window closes after the new one began (grace period): not shown, but remembered.
        Assert.Equal(ApplyOutcome.Older, Apply(Tumbling, Window("BTCUSDT", WindowStart, "110", "50", revision: 8, final: true), Versioned(1, 8)));
        Assert.Equal(ApplyOutcome.Repeat, Apply(Tumbling, Window("BTCUSDT", WindowStart, "110", "50", revision: 8, final: true), Versioned(1, 8)));

        var window = _model.Symbols["BTCUSDT"].Window!;
        Assert.Equal(WindowStart + FifteenMinutes, window.StartMs);
        Assert.Equal(5m, window.Buy);
        Assert.False(window.Final);
    }

    [Fact]
    public void Tumbling_KeepsAmountsExact()
    {
        Apply(Tumbling, Window("BTCUSDT", WindowStart, "12345678.123456789012", "0.00000001", revision: 1), Versioned(1, 1));

        var window = _model.Symbols["BTCUSDT"].Window!;
        Assert.Equal("12345678.123456789012", Streaming.Contracts.ExactDecimal.Format(window.Buy));
        Assert.Equal("0.00000001", Streaming.Contracts.ExactDecimal.Format(window.Sell));
    }

    [Fact]
    public void Tumbling_RecordWithoutVersionHeaders_IsAppliedAsUnversioned()
    {
        Assert.Equal(ApplyOutcome.Applied, Apply(Tumbling, Window("BTCUSDT", WindowStart, "1", "2", revision: 1), headers: null));
        Assert.Equal(ApplyOutcome.Applied, Apply(Tumbling, Window("BTCUSDT", WindowStart, "3", "4", revision: 2), headers: null));
        Assert.Equal(3m, _model.Symbols["BTCUSDT"].Window!.Buy);
    }

    [Fact]
    public void InvalidDecimal_IsCountedAsUndecodable_AndDoesNotAdvanceTheVersion()
    {
        Assert.Equal(ApplyOutcome.Invalid, Apply(Tumbling, Window("BTCUSDT", WindowStart, "1e5", "2", revision: 1), Versioned(1, 1)));
        Assert.Equal(1, _model.Undecodable);
        Assert.Empty(_model.Symbols);

        // The same version with a valid value is still accepted.
        Assert.Equal(ApplyOutcome.Applied, Apply(Tumbling, Window("BTCUSDT", WindowStart, "100000", "2", revision: 1), Versioned(1, 1)));
        Assert.Equal(Now, _model.LastUpdate);
    }

    [Fact]
    public void Sliding_KeepsTheNewestPerSymbol_AndDropsRepeats()
    {
        Apply(Sliding, Sliding("ETHUSDT", WindowStart + 1000, "10", "20"), Versioned(1, 1));
        Apply(Sliding, Sliding("ETHUSDT", WindowStart + 2000, "11", "21"), Versioned(1, 2));
        Assert.Equal(ApplyOutcome.Repeat, Apply(Sliding, Sliding("ETHUSDT", WindowStart + 1000, "10", "20"), Versioned(1, 1)));

        var trailing = _model.Symbols["ETHUSDT"].Trailing!;
        Assert.Equal(WindowStart + 2000, trailing.EndMs);
        Assert.Equal(11m, trailing.Buy);
        Assert.Equal(21m, trailing.Sell);
        Assert.Null(_model.Symbols["ETHUSDT"].Window);
    }

    [Fact]
    public void Top_OrdersByCurrentWindowBuyPlusSell_ThenByName()
    {
        Apply(Tumbling, Window("AAAUSDT", WindowStart, "10", "10", 1), Versioned(1, 1));
        Apply(Tumbling, Window("BTCUSDT", WindowStart, "1000", "1", 1), Versioned(1, 1));
        Apply(Tumbling, Window("ETHUSDT", WindowStart, "1", "500", 1), Versioned(1, 1));
        Apply(Tumbling, Window("ZZZUSDT", WindowStart, "5", "15", 1), Versioned(1, 1));
        Apply(Sliding, Sliding("ONLYUSDT", WindowStart, "99999", "99999"), Versioned(1, 1));

        Assert.Equal(["BTCUSDT", "ETHUSDT", "AAAUSDT"], _model.Top(3).Select(s => s.Symbol));
        Assert.Equal(["BTCUSDT", "ETHUSDT", "AAAUSDT", "ZZZUSDT", "ONLYUSDT"], _model.Top(10).Select(s => s.Symbol));

        // A new window starts from zero: the symbol drops.
        Apply(Tumbling, Window("BTCUSDT", WindowStart + FifteenMinutes, "1", "0", 1), Versioned(1, 1));
        Assert.Equal(["ETHUSDT", "AAAUSDT", "ZZZUSDT"], _model.Top(3).Select(s => s.Symbol));
    }

    [Fact]
    public void Alerts_NewestByTradeTimeFirst_BoundedAndCountedOncePerTrade()
    {
        Apply(Alerts, Alert("BTCUSDT", 1, WindowStart + 10, "100000"), null);
        Apply(Alerts, Alert("ETHUSDT", 7, WindowStart + 30, "200000"), null);
        Apply(Alerts, Alert("BTCUSDT", 2, WindowStart + 20, "300000", Side.TakerSell), null);
        Assert.Equal(ApplyOutcome.Duplicate, Apply(Alerts, Alert("BTCUSDT", 2, WindowStart + 20, "300000", Side.TakerSell), null));
        Apply(Alerts, Alert("SOLUSDT", 3, WindowStart + 40, "400000"), null);
        Apply(Alerts, Alert("XRPUSDT", 4, WindowStart + 5, "500000"), null);

        Assert.Equal(5, _model.AlertCount);
        Assert.Equal([("SOLUSDT", 3L), ("ETHUSDT", 7L), ("BTCUSDT", 2L)], _model.RecentAlerts.Select(a => (a.Symbol, a.AggregateTradeId)));
        Assert.Equal(Side.TakerSell, _model.RecentAlerts[2].Side);
        Assert.Equal(300000m, _model.RecentAlerts[2].QuoteNotional);
    }

    [Fact]
    public void Reconciliation_CountsTheNewestRecordPerWindow_AndListsRecentNonMatches()
    {
        Apply(Reconciliations, Reconciliation("BTCUSDT", WindowStart, ReconciliationOutcome.MissingTrades, "trade ids 812..815 missing"), Versioned(1, 1));
        Apply(Reconciliations, Reconciliation("ETHUSDT", WindowStart, ReconciliationOutcome.IncompleteStart, "began inside the window"), Versioned(1, 1));
        Apply(Reconciliations, Reconciliation("SOLUSDT", WindowStart, ReconciliationOutcome.Match), Versioned(1, 1));
        Apply(Reconciliations, Reconciliation("XRPUSDT", WindowStart, ReconciliationOutcome.ExchangeRounding, "rounding"), Versioned(1, 1));

        // The backfill filled BTCUSDT's hole: its window now matches; a replay of the old record changes nothing.
        Apply(Reconciliations, Reconciliation("BTCUSDT", WindowStart, ReconciliationOutcome.Match, revision: 2), Versioned(1, 2));
        Assert.Equal(ApplyOutcome.Repeat, Apply(Reconciliations, Reconciliation("BTCUSDT", WindowStart, ReconciliationOutcome.MissingTrades, "trade ids 812..815 missing"), Versioned(1, 1)));

        Assert.Equal(2, _model.OutcomeCounts[ReconciliationOutcome.Match]);
        Assert.Equal(0, _model.OutcomeCounts[ReconciliationOutcome.MissingTrades]);
        Assert.Equal(1, _model.OutcomeCounts[ReconciliationOutcome.IncompleteStart]);
        Assert.Equal(1, _model.OutcomeCounts[ReconciliationOutcome.ExchangeRounding]);
        Assert.Equal(["XRPUSDT", "ETHUSDT"], _model.RecentNonMatches.Select(r => r.Symbol));
        Assert.Equal("rounding", _model.RecentNonMatches[0].Explanation);
    }

    [Fact]
    public void Reconciliation_NewerIncompleteStarts_ComeAfterAMissingTradesWindow()
    {
        Apply(Reconciliations, Reconciliation("BTCUSDT", WindowStart, ReconciliationOutcome.MissingTrades, "trade ids 812..815 missing"), Versioned(1, 1));
        foreach (var symbol in new[] { "ETHUSDT", "SOLUSDT", "XRPUSDT" })
        {
            Apply(Reconciliations, Reconciliation(symbol, WindowStart, ReconciliationOutcome.IncompleteStart, "began inside the window"), Versioned(1, 1));
        }

        Assert.Equal(["BTCUSDT", "XRPUSDT"], _model.RecentNonMatches.Select(r => r.Symbol));
        Assert.Equal(3, _model.OutcomeCounts[ReconciliationOutcome.IncompleteStart]);
    }

    [Fact]
    public void Gaps_DepthGapsAreCountedApart_AndListedAfterTradeGaps()
    {
        Apply(Gaps, Gap("BTCUSDT", 100, 102, filled: false), null);
        for (var id = 1; id <= 3; id++)
        {
            var depth = Gap("ETHUSDT", id, id, filled: false);
            depth.Kind = FeedGapKind.DepthUpdateIds;
            depth.Stream = "ethusdt@depth@100ms";
            Apply(Gaps, depth, null);
        }

        Assert.Equal((4L, 3L), (_model.OpenGaps, _model.OpenDepthGaps));
        Assert.Equal([("BTCUSDT", 100L), ("ETHUSDT", 3L)], _model.RecentGaps.Select(g => (g.Symbol, g.FirstId!.Value)));

        // Depth cannot be fetched again, but a fill published for one closes it in both counts.
        var filled = Gap("ETHUSDT", 2, 2, filled: true);
        filled.Kind = FeedGapKind.DepthUpdateIds;
        filled.Stream = "ethusdt@depth@100ms";
        Assert.Equal(ApplyOutcome.Applied, Apply(Gaps, filled, null));
        Assert.Equal((3L, 2L, 1L), (_model.OpenGaps, _model.OpenDepthGaps, _model.FilledGaps));
    }

    [Fact]
    public void Reconciliation_WithoutOutcome_FallsBackToMatches()
    {
        var old = Reconciliation("BTCUSDT", WindowStart, ReconciliationOutcome.Unspecified);
        old.Matches = true;
        Apply(Reconciliations, old, null);

        Assert.Equal(1, _model.OutcomeCounts[ReconciliationOutcome.Match]);
    }

    [Fact]
    public void Gaps_OpenUntilAFillForTheSameRange_OtherMarketsIgnored()
    {
        Apply(Gaps, Gap("BTCUSDT", 100, 102, filled: false), null);
        Apply(Gaps, Gap("ETHUSDT", 7, 7, filled: false), null);
        Assert.Equal(ApplyOutcome.Duplicate, Apply(Gaps, Gap("ETHUSDT", 7, 7, filled: false), null));
        Assert.Equal(ApplyOutcome.OtherMarket, Apply(Gaps, Gap("BTCUSDT", 1, 2, filled: false, Market.UsdmFutures), null));
        Assert.Equal((2L, 0L), (_model.OpenGaps, _model.FilledGaps));

        // Filled: the same symbol, stream and ids.
        Assert.Equal(ApplyOutcome.Applied, Apply(Gaps, Gap("BTCUSDT", 100, 102, filled: true), null));
        Assert.Equal((1L, 1L), (_model.OpenGaps, _model.FilledGaps));

        // Another range of the same symbol is another gap; the fill does not close it.
        Apply(Gaps, Gap("BTCUSDT", 200, 201, filled: false), null);
        Assert.Equal(ApplyOutcome.Duplicate, Apply(Gaps, Gap("BTCUSDT", 100, 102, filled: true), null));
        Assert.Equal((2L, 1L), (_model.OpenGaps, _model.FilledGaps));

        Assert.Equal([(200L, false), (100L, true)], _model.RecentGaps.Select(g => (g.FirstId!.Value, g.Filled)));
    }

    [Fact]
    public void Undecodable_IsCountedPerTopic()
    {
        _model.RecordUndecodable(Tumbling);
        Apply(Sliding, Sliding("ETHUSDT", WindowStart, "1", "1"), null);

        Assert.Equal(1, _model.Undecodable);
        Assert.Equal(2, _model.RecordsRead);
        Assert.Equal(1, _model.RecordsByTopic[Tumbling]);
    }

    private ApplyOutcome Apply(string topic, Google.Protobuf.IMessage message, Confluent.Kafka.Headers? headers) =>
        _model.Apply(topic, null, headers, message, Now);
}
