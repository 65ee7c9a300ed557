using ExchangeSimulator.Market;

namespace ExchangeSimulator.Streams;

/// <summary>
/// A diff-depth stream name suffix and its update period. The market produces 100 ms diffs; slower
/// variants merge consecutive ones (first <c>U</c> and <c>pu</c>, last <c>u</c>, last quantity per level).
/// </summary>
/// <param name="Suffix">E.g. <c>@depth@100ms</c>.</param>
/// <param name="PeriodMs">Update period.</param>
public sealed record DepthStreamVariant(string Suffix, int PeriodMs)
{
    private static readonly DepthStreamVariant[] Spot =
    [
        new("@depth", 1000),
        new("@depth@1000ms", 1000),
        new("@depth@100ms", 100),
    ];

    // USD-M futures: plain @depth is 250 ms; 100, 250 and 500 ms can be named explicitly.
    private static readonly DepthStreamVariant[] Futures =
    [
        new("@depth", 250),
        new("@depth@250ms", 250),
        new("@depth@500ms", 500),
        new("@depth@100ms", 100),
    ];

    public static IReadOnlyList<DepthStreamVariant> For(MarketFlavor flavor) => flavor == MarketFlavor.UsdmFutures ? Futures : Spot;
}
