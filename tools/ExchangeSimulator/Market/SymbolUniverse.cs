using System.Globalization;

namespace ExchangeSimulator.Market;

/// <summary>
/// Builds the symbol list: real large caps first (in rough order of Binance USDT volume, with
/// plausible prices), then synthetic base assets of 3 to 5 random letters at log-uniform prices.
/// </summary>
internal static class SymbolUniverse
{
    private static readonly (string Base, decimal Price)[] KnownAssets =
    [
        ("BTC", 87648.21m), ("ETH", 3012.45m), ("SOL", 182.37m), ("BNB", 612.8m), ("XRP", 2.1834m),
        ("DOGE", 0.17215m), ("ADA", 0.6821m), ("TRX", 0.2415m), ("AVAX", 35.41m), ("LINK", 17.84m),
        ("SUI", 3.6127m), ("LTC", 98.42m), ("DOT", 6.872m), ("BCH", 412.6m), ("PEPE", 0.00001234m),
        ("TON", 5.412m), ("NEAR", 5.183m), ("APT", 9.214m), ("UNI", 11.27m), ("SHIB", 0.00002218m),
    ];

    public static IReadOnlyList<SymbolSpec> Create(int count, MarketFlavor flavor, int seed)
    {
        var random = new DeterministicRandom(seed, stream: -1);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var symbols = new List<SymbolSpec>(count);
        for (var rank = 0; rank < count; rank++)
        {
            var (baseAsset, price) = rank < KnownAssets.Length
                ? KnownAssets[rank]
                : (SyntheticAsset(random, used), SyntheticPrice(random));
            used.Add(baseAsset);
            symbols.Add(Spec(baseAsset, price, rank, flavor));
        }

        return symbols;
    }

    /// <summary>
    /// Tick about 1e-5..1e-6 of the price (at least 2, at most 8 decimals), step the rest of the 8
    /// decimals up to the price's magnitude: BTC gets 0.01 / 0.00001, a 0.5 USDT coin 0.00001 / 1.
    /// </summary>
    internal static SymbolSpec Spec(string baseAsset, decimal price, int rank, MarketFlavor flavor)
    {
        var magnitude = (int)Math.Floor(Math.Log10((double)price));
        var tickDecimals = Math.Clamp(4 - magnitude, 2, 8);
        var stepDecimals = Math.Clamp(magnitude + 1, 0, 8 - tickDecimals);
        var tickSize = Pow10(-tickDecimals);
        var stepSize = Pow10(-stepDecimals);
        var spot = flavor == MarketFlavor.Spot;
        var name = baseAsset + "USDT";
        return new SymbolSpec
        {
            Name = name,
            StreamName = name.ToLowerInvariant(),
            BaseAsset = baseAsset,
            Rank = rank,
            TickSize = tickSize,
            StepSize = stepSize,
            TickDecimals = tickDecimals,
            StepDecimals = stepDecimals,
            PriceScale = spot ? 8 : tickDecimals,
            QuantityScale = spot ? 8 : stepDecimals,
            QuoteVolumeScale = spot ? 8 : tickDecimals + stepDecimals,
            InitialPrice = decimal.Round(price, tickDecimals),
        };
    }

    private static decimal Pow10(int exponent) =>
        exponent >= 0
            ? decimal.Parse("1" + new string('0', exponent), CultureInfo.InvariantCulture)
            : new decimal(1, 0, 0, false, (byte)-exponent);

    private static string SyntheticAsset(DeterministicRandom random, HashSet<string> used)
    {
        while (true)
        {
            var length = (int)random.NextInt64(3, 6);
            var letters = new char[length];
            for (var i = 0; i < length; i++)
            {
                letters[i] = (char)('A' + random.NextInt64(0, 26));
            }

            var candidate = new string(letters);
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>Log-uniform between 0.001 and 500 USDT, kept to 5 significant digits.</summary>
    private static decimal SyntheticPrice(DeterministicRandom random)
    {
        var price = Math.Pow(10, -3 + (random.NextDouble() * 5.7));
        var magnitude = (int)Math.Floor(Math.Log10(price));
        return Math.Round((decimal)price, Math.Clamp(4 - magnitude, 0, 8));
    }
}
