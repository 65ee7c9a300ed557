using System.Globalization;
using System.Text;
using Streaming.Contracts;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Ops.V1;

namespace TakerVolumeView;

/// <summary>How to draw one frame.</summary>
/// <param name="BootstrapServers">Shown in the header.</param>
/// <param name="Now">The time shown, and what ages are measured against.</param>
/// <param name="Width">Columns of the terminal: ANSI frames cut longer lines (no wrapping); plain frames ignore it.</param>
/// <param name="Ansi">Terminal mode: home the cursor, clear each line's rest and below the frame, a little colour.</param>
/// <param name="Top">Rows of the symbol table.</param>
internal sealed record FrameContext(string BootstrapServers, DateTimeOffset Now, int Width, bool Ansi, int Top);

/// <summary>
/// Draws the model as one string (written with one Write, so the terminal never shows half a frame). Pure: the
/// same model and context give the same text. Amounts are rounded to cents here only; the model keeps them exact.
/// </summary>
internal static class FrameRenderer
{
    public const string Escape = "\u001b[";
    public const string Home = Escape + "H";
    public const string ClearLineRest = Escape + "K";
    public const string ClearBelow = Escape + "J";
    public const string ClearScreen = Escape + "2J";
    public const string HideCursor = Escape + "?25l";
    public const string ShowCursor = Escape + "?25h";
    public const string Reset = Escape + "0m";
    private const string Bold = Escape + "1m";
    private const string Red = Escape + "31m";
    private const string Yellow = Escape + "33m";
    private const string Dim = Escape + "2m";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly (string Title, int Width, bool Right)[] Columns =
    [
        ("SYMBOL", 14, false),
        ("START", 5, false),
        ("TAKER BUY USDT", 18, true),
        ("TAKER SELL USDT", 18, true),
        ("BUY %", 6, true),
        ("TRADES", 9, true),
        ("15M BUY USDT", 18, true),
        ("15M SELL USDT", 18, true),
        ("STATE", 10, false),
    ];

    public static string Render(ViewModel model, FrameContext context)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        var lines = new List<(string Text, string? Style)>();
        Header(model, context, lines);
        lines.Add((string.Empty, null));
        Table(model, context, lines);
        lines.Add((string.Empty, null));
        Alerts(model, lines);
        lines.Add((string.Empty, null));
        Reconciliation(model, lines);
        lines.Add((string.Empty, null));
        FeedHealth(model, lines);

        var frame = new StringBuilder(lines.Count * 100);
        if (context.Ansi)
        {
            frame.Append(Home);
        }

        foreach (var (text, style) in lines)
        {
            if (context.Ansi)
            {
                var cut = context.Width > 1 && text.Length >= context.Width ? text[..(context.Width - 1)] : text;
                if (style is null)
                {
                    frame.Append(cut);
                }
                else
                {
                    frame.Append(style).Append(cut).Append(Reset);
                }

                frame.Append(ClearLineRest).Append('\n');
            }
            else
            {
                frame.Append(text).Append('\n');
            }
        }

        if (context.Ansi)
        {
            frame.Append(ClearBelow);
        }

        return frame.ToString();
    }

    /// <summary>A USDT amount for people: thousands separators, two decimals (display only).</summary>
    public static string Amount(decimal value) => value.ToString("#,0.00", Invariant);

    public static string Count(double value) => value.ToString("#,0", Invariant);

    public static string Count(long value) => value.ToString("#,0", Invariant);

    /// <summary>The buy share of buy + sell, or "-" when both are zero.</summary>
    public static string BuyShare(decimal buy, decimal sell)
    {
        var total = buy + sell;
        return total == 0m ? "-" : (buy / total * 100m).ToString("0.0", Invariant);
    }

    public static string OutcomeName(ReconciliationOutcome outcome) => outcome switch
    {
        ReconciliationOutcome.Match => "MATCH",
        ReconciliationOutcome.ExchangeRounding => "EXCHANGE_ROUNDING",
        ReconciliationOutcome.MissingTrades => "MISSING_TRADES",
        ReconciliationOutcome.IncompleteStart => "INCOMPLETE_START",
        ReconciliationOutcome.Mismatch => "MISMATCH",
        ReconciliationOutcome.Unspecified => "UNSPECIFIED",
        _ => ((int)outcome).ToString(Invariant),
    };

    /// <summary>The outcomes always listed, in the proto's order.</summary>
    public static IReadOnlyList<ReconciliationOutcome> ListedOutcomes { get; } =
    [
        ReconciliationOutcome.Match,
        ReconciliationOutcome.ExchangeRounding,
        ReconciliationOutcome.MissingTrades,
        ReconciliationOutcome.IncompleteStart,
        ReconciliationOutcome.Mismatch,
    ];

    public static string State(WindowView window) =>
        string.Create(Invariant, $"{(window.Final ? "final" : "interim")} r{window.Revision}");

    public static string Age(TimeSpan age) => age switch
    {
        _ when age < TimeSpan.Zero => "0.0 s",
        _ when age < TimeSpan.FromMinutes(1) => string.Create(Invariant, $"{age.TotalSeconds:0.0} s"),
        _ when age < TimeSpan.FromHours(1) => string.Create(Invariant, $"{(int)age.TotalMinutes} min {age.Seconds} s"),
        _ => string.Create(Invariant, $"{(int)age.TotalHours} h {age.Minutes} min"),
    };

    private static void Header(ViewModel model, FrameContext context, List<(string, string?)> lines)
    {
        lines.Add((string.Create(Invariant, $"TAKER VOLUME  {MarketNames.Of(model.Market)}  kafka {context.BootstrapServers}  {context.Now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"), Bold));

        var update = model.LastUpdate is { } last ? Age(context.Now - last) + " ago" : "never";
        var dataTo = model.Symbols.Values.Select(s => s.Trailing?.EndMs ?? 0).DefaultIfEmpty(0).Max();
        var data = dataTo > 0 ? $" | trailing as of {Utc(dataTo):HH:mm:ss} UTC" : string.Empty;
        lines.Add((string.Create(Invariant, $"symbols {model.Symbols.Count} | records {Count(model.RecordsRead)} | undecodable: {Count(model.Undecodable)} | last update {update}{data}"), null));

        var reader = $"reader: {model.ReaderStatus ?? "connecting"}";
        if (model.ReaderError is { } error)
        {
            var at = model.ReaderErrorAt is { } when ? $" ({Age(context.Now - when)} ago)" : string.Empty;
            lines.Add(($"{reader} | last error{at}: {error}", Red));
        }
        else
        {
            lines.Add((reader, Dim));
        }
    }

    private static void Table(ViewModel model, FrameContext context, List<(string, string?)> lines)
    {
        lines.Add((Row(Columns.Select(c => c.Title).ToArray()), Bold));
        var top = model.Top(context.Top);
        foreach (var symbol in top)
        {
            var window = symbol.Window;
            var trailing = symbol.Trailing;
            lines.Add((Row(
                symbol.Symbol,
                window is null ? "-" : Utc(window.StartMs).ToString("HH:mm", Invariant),
                window is null ? "-" : Amount(window.Buy),
                window is null ? "-" : Amount(window.Sell),
                window is null ? "-" : BuyShare(window.Buy, window.Sell),
                window is null ? "-" : Count(window.Trades),
                trailing is null ? "-" : Amount(trailing.Buy),
                trailing is null ? "-" : Amount(trailing.Sell),
                window is null ? "-" : State(window)), null));
        }

        if (top.Count == 0)
        {
            lines.Add(("  (no taker-volume records yet)", Dim));
        }
        else
        {
            lines.Add((string.Create(Invariant, $"  top {top.Count} of {model.Symbols.Count} symbols by current 15-minute window quote volume (buy + sell); times UTC"), Dim));
        }
    }

    private static void Alerts(ViewModel model, List<(string, string?)> lines)
    {
        lines.Add((string.Create(Invariant, $"LARGE TRADES  {Count(model.AlertCount)} alerts"), Bold));
        foreach (var alert in model.RecentAlerts)
        {
            var side = alert.Side switch
            {
                Side.TakerBuy => "BUY ",
                Side.TakerSell => "SELL",
                _ => "?   ",
            };
            lines.Add((string.Create(Invariant,
                $"  {Utc(alert.TradeTimeMs):MM-dd HH:mm:ss}  {alert.Symbol,-14} {side} {Amount(alert.QuoteNotional),18} USDT  {ExactDecimal.Format(alert.Quantity)} @ {ExactDecimal.Format(alert.Price)}  (threshold {Amount(alert.Threshold)})"), null));
        }
    }

    private static void Reconciliation(ViewModel model, List<(string, string?)> lines)
    {
        var counts = ListedOutcomes
            .Concat(model.OutcomeCounts.Keys.Where(o => !ListedOutcomes.Contains(o) && model.OutcomeCounts[o] > 0))
            .Select(o => $"{OutcomeName(o)} {Count(model.OutcomeCounts.GetValueOrDefault(o))}");
        lines.Add(("RECONCILIATION  " + string.Join(" | ", counts), Bold));
        foreach (var miss in model.RecentNonMatches)
        {
            var explanation = miss.Explanation.Length > 0 ? miss.Explanation : "(no explanation)";
            lines.Add((string.Create(Invariant,
                $"  {miss.Symbol,-14} {Utc(miss.WindowStartMs):MM-dd HH:mm}  {OutcomeName(miss.Outcome),-17} r{miss.WindowRevision}  {explanation}"), Yellow));
        }
    }

    private static void FeedHealth(ViewModel model, List<(string, string?)> lines)
    {
        var metrics = model.Metrics;
        var processor = metrics is null
            ? "duplicates dropped n/a | late trades n/a (no --metrics-url)"
            : $"duplicates dropped {Metric(metrics.Duplicates)} | late trades {Metric(metrics.Late)} | accepted trades {Metric(metrics.Accepted)} | gaps reported {Metric(metrics.GapsReported)}";
        lines.Add((string.Create(Invariant, $"FEED HEALTH  gaps open {Count(model.OpenGaps - model.OpenDepthGaps)} (+{Count(model.OpenDepthGaps)} depth, not refillable), filled {Count(model.FilledGaps)} | {processor}"), Bold));
        lines.Add((string.Create(Invariant, $"  view: output records dropped as repeats {Count(model.OutputRepeats)}, as stale {Count(model.OutputStale)}"), Dim));
        if (metrics is not null)
        {
            foreach (var error in metrics.Errors)
            {
                lines.Add(($"  metrics: {error}", Red));
            }
        }

        foreach (var gap in model.RecentGaps)
        {
            var ids = gap.FirstId is { } first ? string.Create(Invariant, $"ids {first}..{gap.LastId}") : string.Create(Invariant, $"from {Utc(gap.GapStartMs):HH:mm:ss}");
            var detail = gap.Detail.Length > 0 ? "  " + gap.Detail : string.Empty;
            lines.Add((string.Create(Invariant,
                $"  {(gap.Filled ? "filled" : "OPEN  ")}  {gap.Symbol,-14} {gap.Stream} {KindName(gap.Kind)} {ids}{detail}"), gap.Filled ? null : Red));
        }
    }

    private static string KindName(FeedGapKind kind) => kind switch
    {
        FeedGapKind.AggTradeIds => "aggTrade",
        FeedGapKind.DepthUpdateIds => "depth",
        FeedGapKind.Connection => "connection",
        _ => "unspecified",
    };

    private static string Metric(double? value) => value is { } v ? Count(v) : "n/a";

    private static DateTime Utc(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).UtcDateTime;

    private static string Row(params string[] cells)
    {
        var row = new StringBuilder(160);
        for (var i = 0; i < Columns.Length; i++)
        {
            var (_, width, right) = Columns[i];
            var cell = cells[i];
            if (i > 0)
            {
                row.Append("  ");
            }

            row.Append(right ? cell.PadLeft(width) : cell.PadRight(width));
        }

        return row.ToString().TrimEnd();
    }
}
