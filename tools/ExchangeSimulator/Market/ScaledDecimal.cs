namespace ExchangeSimulator.Market;

/// <summary>Exact conversions between integer counts of ticks or steps and printed decimals.</summary>
internal static class ScaledDecimal
{
    private static readonly long[] PowersOfTen = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

    /// <summary>
    /// <paramref name="units"/> × 10^-<paramref name="unitDecimals"/>, carrying exactly
    /// <paramref name="scale"/> decimals (e.g. 8764821 ticks of 0.01 at scale 8 is 87648.21000000).
    /// </summary>
    public static decimal FromUnits(long units, int unitDecimals, int scale)
    {
        var mantissa = checked(units * PowersOfTen[scale - unitDecimals]);
        return new decimal((int)mantissa, (int)(mantissa >> 32), 0, isNegative: false, (byte)scale);
    }

    /// <summary>The same value with exactly <paramref name="scale"/> decimals; throws rather than round.</summary>
    public static decimal WithScale(decimal value, int scale)
    {
        var rounded = decimal.Round(value, scale);
        if (rounded != value)
        {
            throw new ArithmeticException($"{value} does not fit {scale} decimals exactly.");
        }

        // Adding a zero of the wanted scale raises the scale without changing the value.
        return rounded.Scale == scale ? rounded : rounded + Zero(scale);
    }

    /// <summary>Zero printed with <paramref name="scale"/> decimals ("0.00000000" at 8).</summary>
    public static decimal Zero(int scale) => new(0, 0, 0, isNegative: false, (byte)scale);
}
