using System.Globalization;
using Streaming.Testing;

namespace TakerVolume.Benchmarks.Input;

/// <summary>One recorded aggregate trade's shape: what the generator replays for every symbol.</summary>
/// <param name="PriceRatio">Its price over the recording's first price (the symbol's moves, scaled to any price level).</param>
/// <param name="Quantity">Its quantity in BTC (scaled by price to other symbols).</param>
/// <param name="Fills">l − f + 1: the individual trades it aggregates.</param>
/// <param name="BuyerIsMaker">m.</param>
/// <param name="GapUs">Microseconds to the next recorded trade (bursts: 44 % of the trades share their millisecond).</param>
internal readonly record struct RecordedShape(double PriceRatio, decimal Quantity, int Fills, bool BuyerIsMaker, long GapUs);

/// <summary>
/// Real BTCUSDT aggregate trades (tests/data/recordings/binance-vision, 5,000 trades of 2026-01-01, microsecond
/// times): the sizes, fill counts, taker sides, price moves and arrival bursts every generated symbol replays, so
/// that coalescing per millisecond and per second meets real clustering rather than evenly spaced trades.
/// </summary>
internal sealed class RecordedTrades
{
    private readonly long[] _cumulativeUs;

    private RecordedTrades(IReadOnlyList<RecordedShape> shapes, decimal firstPrice, double ratePerSecond)
    {
        Shapes = shapes;
        FirstPrice = firstPrice;
        RatePerSecond = ratePerSecond;
        _cumulativeUs = new long[shapes.Count + 1];
        for (var i = 0; i < shapes.Count; i++)
        {
            _cumulativeUs[i + 1] = _cumulativeUs[i] + shapes[i].GapUs;
        }
    }

    public IReadOnlyList<RecordedShape> Shapes { get; }

    /// <summary>The recording's first price (USDT per BTC).</summary>
    public decimal FirstPrice { get; }

    /// <summary>The recording's own rate (trades over its span): the generator scales the gaps from it.</summary>
    public double RatePerSecond { get; }

    /// <summary>
    /// Where a replay starting at a random instant of the recording's (cyclic) timeline stands: the next trade and how
    /// long until it. A start at a random instant, not at a random trade: most trades sit in bursts and most time in
    /// the gaps between them, so starting at a trade would begin every symbol in a burst and run its first minutes
    /// faster than its rate.
    /// </summary>
    /// <param name="fraction">A uniform draw in [0, 1).</param>
    public (int Next, long WaitUs) StartAt(double fraction)
    {
        var instant = (long)(fraction * _cumulativeUs[^1]);
        var index = Array.BinarySearch(_cumulativeUs, instant);
        // The first cumulative time after the instant: the end of the gap it falls in.
        var next = index >= 0 ? index + 1 : ~index;
        next = Math.Min(next, Shapes.Count);
        return (next % Shapes.Count, _cumulativeUs[next] - instant);
    }

    public static RecordedTrades Load()
    {
        var path = RepoPaths.Combine("tests", "data", "recordings", "binance-vision", "BTCUSDT-aggTrades-2026-01-01.csv");
        var rows = File.ReadLines(path)
            .Where(line => line.Length > 0)
            .Select(line => line.Split(','))
            .Select(c => (
                Price: decimal.Parse(c[1], CultureInfo.InvariantCulture),
                Quantity: decimal.Parse(c[2], CultureInfo.InvariantCulture),
                Fills: (int)(long.Parse(c[4], CultureInfo.InvariantCulture) - long.Parse(c[3], CultureInfo.InvariantCulture) + 1),
                TimeUs: long.Parse(c[5], CultureInfo.InvariantCulture),
                BuyerIsMaker: bool.Parse(c[6])))
            .ToList();
        if (rows.Count < 2)
        {
            throw new InvalidDataException($"{path} holds {rows.Count} trades; the generator needs the recording.");
        }

        var first = rows[0].Price;
        var shapes = new List<RecordedShape>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            // The last trade's gap: the recording's mean, so the sequence wraps around without a pause.
            var gap = i + 1 < rows.Count ? rows[i + 1].TimeUs - rows[i].TimeUs : (rows[^1].TimeUs - rows[0].TimeUs) / (rows.Count - 1);
            shapes.Add(new RecordedShape((double)(rows[i].Price / first), rows[i].Quantity, rows[i].Fills, rows[i].BuyerIsMaker, gap));
        }

        var spanSeconds = (rows[^1].TimeUs - rows[0].TimeUs) / 1e6;
        return new RecordedTrades(shapes, first, (rows.Count - 1) / spanSeconds);
    }
}
