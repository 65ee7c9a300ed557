using System.Text.Json;
using System.Text.Json.Serialization;
using Streaming.Contracts;
using Streaming.Contracts.Common.V1;

namespace TakerVolumeView;

/// <summary>The model at exit, as JSON (--summary-json). Amounts are exact decimal text, as in the contracts.</summary>
internal static class ViewSummary
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string ToJson(ViewModel model, string bootstrapServers, DateTimeOffset now) =>
        JsonSerializer.Serialize(Build(model, bootstrapServers, now), Json);

    /// <summary>Writes atomically: a reader never sees half a summary.</summary>
    public static void Write(string path, ViewModel model, string bootstrapServers, DateTimeOffset now)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = $"{full}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, ToJson(model, bootstrapServers, now) + "\n");
        File.Move(temporary, full, overwrite: true);
    }

    private static Summary Build(ViewModel model, string bootstrapServers, DateTimeOffset now)
    {
        var symbols = new SortedDictionary<string, SymbolSummary>(StringComparer.Ordinal);
        foreach (var (name, symbol) in model.Symbols)
        {
            symbols[name] = new SymbolSummary(
                symbol.Window is { } w ? new WindowSummary(w.StartMs, Iso(w.StartMs), ExactDecimal.Format(w.Buy), ExactDecimal.Format(w.Sell), w.Trades, w.Revision, w.Final) : null,
                symbol.Trailing is { } t ? new TrailingSummary(ExactDecimal.Format(t.Buy), ExactDecimal.Format(t.Sell), t.EndMs, Iso(t.EndMs), t.Trades) : null);
        }

        var outcomes = FrameRenderer.ListedOutcomes
            .Concat(model.OutcomeCounts.Keys)
            .Distinct()
            .ToDictionary(FrameRenderer.OutcomeName, o => model.OutcomeCounts.GetValueOrDefault(o), StringComparer.Ordinal);

        return new Summary(
            MarketNames.Of(model.Market),
            bootstrapServers,
            now,
            model.RecordsRead,
            new SortedDictionary<string, long>(model.RecordsByTopic.ToDictionary(), StringComparer.Ordinal),
            model.Undecodable,
            model.LastUpdate,
            symbols,
            new AlertsSummary(
                model.AlertCount,
                model.RecentAlerts.Select(a => new AlertSummary(a.Symbol, a.AggregateTradeId, a.TradeTimeMs, ExactDecimal.Format(a.Price), ExactDecimal.Format(a.Quantity), ExactDecimal.Format(a.QuoteNotional), SideName(a.Side), ExactDecimal.Format(a.Threshold))).ToList()),
            new ReconciliationSummary(
                outcomes,
                model.RecentNonMatches.Select(r => new NonMatchSummary(r.Symbol, r.WindowStartMs, FrameRenderer.OutcomeName(r.Outcome), r.Explanation, r.WindowRevision)).ToList()),
            new GapsSummary(model.OpenGaps, model.OpenDepthGaps, model.FilledGaps),
            model.Metrics?.Duplicates,
            model.Metrics?.Late,
            model.Metrics?.Accepted,
            model.Metrics?.GapsReported,
            model.OutputRepeats,
            model.OutputStale,
            model.ReaderError);
    }

    private static string SideName(Side side) => side switch
    {
        Side.TakerBuy => "BUY",
        Side.TakerSell => "SELL",
        _ => "UNSPECIFIED",
    };

    private static DateTimeOffset Iso(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private sealed record Summary(
        string Market,
        string BootstrapServers,
        DateTimeOffset WrittenAt,
        long RecordsRead,
        SortedDictionary<string, long> RecordsByTopic,
        long Undecodable,
        DateTimeOffset? LastUpdate,
        SortedDictionary<string, SymbolSummary> Symbols,
        AlertsSummary Alerts,
        ReconciliationSummary Reconciliation,
        GapsSummary Gaps,
        double? DuplicatesDropped,
        double? LateTrades,
        double? AcceptedTrades,
        double? GapsReported,
        long OutputRepeatsDropped,
        long OutputStaleDropped,
        string? ReaderError);

    private sealed record SymbolSummary(WindowSummary? Window, TrailingSummary? Trailing);

    private sealed record WindowSummary(long Start, DateTimeOffset StartUtc, string Buy, string Sell, long Trades, long Revision, bool Final);

    private sealed record TrailingSummary(string Buy, string Sell, long End, DateTimeOffset EndUtc, long Trades);

    private sealed record AlertsSummary(long Count, IReadOnlyList<AlertSummary> Last);

    private sealed record AlertSummary(string Symbol, long AggregateTradeId, long TradeTimeMs, string Price, string Quantity, string QuoteNotional, string Side, string Threshold);

    private sealed record ReconciliationSummary(IReadOnlyDictionary<string, long> Counts, IReadOnlyList<NonMatchSummary> RecentNonMatches);

    private sealed record NonMatchSummary(string Symbol, long WindowStart, string Outcome, string Explanation, long WindowRevision);

    private sealed record GapsSummary(long Open, long OpenDepth, long Filled);
}
