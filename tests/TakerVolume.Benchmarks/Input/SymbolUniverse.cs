using System.Globalization;

namespace TakerVolume.Benchmarks.Input;

/// <summary>One USDT symbol of the generated market.</summary>
/// <param name="Name">Exchange symbol, e.g. BTCUSDT.</param>
/// <param name="Price">Price level in USDT (the recording's moves are applied to it).</param>
/// <param name="PriceDecimals">Decimals of its tick size (0.01 → 2).</param>
/// <param name="QuantityDecimals">Decimals of its step size (0.00001 → 5).</param>
/// <param name="Share">Its share of the market's trades (the shares add up to 1).</param>
internal sealed record SymbolSpec(string Name, decimal Price, int PriceDecimals, int QuantityDecimals, double Share);

/// <summary>
/// A spot market of USDT symbols whose trade counts follow Zipf's law (rank k carries a share proportional to
/// 1/k^s; with s = 1 over 200 symbols the first carries 17 % and the first ten half of all trades, as BTCUSDT and
/// ETHUSDT dominate the real market). The first ranks are real symbols with real price levels and exchange tick and
/// step sizes; the rest are named <c>ALT0016USDT</c>… with prices spread log-uniformly from 0.0001 to 100 USDT.
/// </summary>
internal sealed class SymbolUniverse
{
    private static readonly (string Name, decimal Price, int Tick, int Step)[] Heads =
    [
        ("BTCUSDT", 87648.21m, 2, 5),
        ("ETHUSDT", 2970.51m, 2, 4),
        ("SOLUSDT", 124.37m, 2, 3),
        ("XRPUSDT", 1.8712m, 4, 1),
        ("BNBUSDT", 863.12m, 2, 3),
        ("DOGEUSDT", 0.12874m, 5, 0),
        ("USDCUSDT", 1.0001m, 4, 0),
        ("SUIUSDT", 1.4321m, 4, 1),
        ("ADAUSDT", 0.3521m, 4, 1),
        ("PEPEUSDT", 0.00000412m, 8, 0),
        ("TRXUSDT", 0.2841m, 4, 1),
        ("LINKUSDT", 12.34m, 2, 2),
        ("AVAXUSDT", 12.21m, 2, 2),
        ("LTCUSDT", 77.12m, 2, 3),
        ("ENAUSDT", 0.2012m, 4, 2),
    ];

    private SymbolUniverse(IReadOnlyList<SymbolSpec> symbols)
    {
        Symbols = symbols;
    }

    public IReadOnlyList<SymbolSpec> Symbols { get; }

    /// <summary>The busiest share.</summary>
    public double TopShare => Symbols.Max(s => s.Share);

    /// <summary>A market of <paramref name="count"/> symbols whose shares follow Zipf's law with <paramref name="zipfExponent"/>.</summary>
    public static SymbolUniverse Zipf(int count, double zipfExponent, int seed = 7)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var random = new Random(seed);
        var weights = Enumerable.Range(1, count).Select(k => 1 / Math.Pow(k, zipfExponent)).ToArray();
        var total = weights.Sum();
        var symbols = new List<SymbolSpec>(count);
        for (var i = 0; i < count; i++)
        {
            var share = weights[i] / total;
            if (i < Heads.Length)
            {
                var (name, price, tick, step) = Heads[i];
                symbols.Add(new SymbolSpec(name, price, tick, step, share));
                continue;
            }

            var level = Math.Pow(10, -4 + (6 * random.NextDouble()));
            var magnitude = (int)Math.Floor(Math.Log10(level));
            var tickDecimals = Math.Clamp(4 - magnitude, 0, 8);
            var stepDecimals = Math.Clamp(magnitude + 1, 0, 5);
            var priceLevel = Math.Round((decimal)level, tickDecimals);
            if (priceLevel == 0)
            {
                priceLevel = 1m / (decimal)Math.Pow(10, tickDecimals);
            }

            symbols.Add(new SymbolSpec(string.Create(CultureInfo.InvariantCulture, $"ALT{i + 1:D4}USDT"), priceLevel, tickDecimals, stepDecimals, share));
        }

        return new SymbolUniverse(symbols);
    }

    /// <summary>The first <paramref name="count"/> symbols of the Zipf market (same names, prices and scales), each with an equal share.</summary>
    public static SymbolUniverse Uniform(int count)
    {
        var zipf = Zipf(count, 1);
        return new SymbolUniverse([.. zipf.Symbols.Select(s => s with { Share = 1.0 / count })]);
    }
}
