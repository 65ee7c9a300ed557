using System.Numerics;

namespace TakerVolume.Trades;

/// <summary>The digits of a <see cref="decimal"/>: trailing zeros counted and stripped without rounding.</summary>
internal static class DecimalDigits
{
    /// <summary>The fewest fractional digits that hold <paramref name="value"/> exactly ("1.2500" → 2).</summary>
    public static int SignificantScale(decimal value) => Strip(value).Scale;

    /// <summary><paramref name="value"/> with its trailing fractional zeros removed (same value, smallest scale).</summary>
    public static decimal Strip(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var mantissa = Mantissa(bits);
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }

        return mantissa == 0
            ? 0m
            : new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)(uint)(mantissa >> 64), negative, (byte)scale);
    }

    /// <summary>
    /// <paramref name="dividend"/> / <paramref name="divisor"/> rounded once, half to even, to <paramref name="decimals"/>
    /// fractional digits. Decimal division would first round the quotient to 28 significant digits, and a quotient just
    /// above a midpoint would then round down a second time: here the quotient is an exact integer division of the
    /// mantissas and only its remainder decides the rounding. Throws <see cref="OverflowException"/> when the result does
    /// not fit a decimal, never rounds elsewhere.
    /// </summary>
    public static decimal DivideRounded(decimal dividend, decimal divisor, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 28);
        if (divisor == 0m)
        {
            throw new DivideByZeroException();
        }

        var (dividendMantissa, dividendScale) = Parts(dividend);
        var (divisorMantissa, divisorScale) = Parts(divisor);

        // dividend / divisor × 10^decimals = (a / 10^sa) / (b / 10^sb) × 10^d = a × 10^(sb + d) / (b × 10^sa)
        var numerator = dividendMantissa * BigInteger.Pow(10, divisorScale + decimals);
        var denominator = divisorMantissa * BigInteger.Pow(10, dividendScale);
        var quotient = BigInteger.DivRem(BigInteger.Abs(numerator), BigInteger.Abs(denominator), out var remainder);
        var twice = remainder * 2;
        var denominatorMagnitude = BigInteger.Abs(denominator);
        if (twice > denominatorMagnitude || (twice == denominatorMagnitude && !quotient.IsEven))
        {
            quotient += 1;
        }

        if (quotient >= BigInteger.One << 96)
        {
            throw new OverflowException($"{dividend} / {divisor} rounded to {decimals} decimals does not fit a decimal");
        }

        var negative = numerator.Sign * denominator.Sign < 0 && !quotient.IsZero;
        var magnitude = (UInt128)quotient;
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), negative, (byte)decimals);
    }

    private static (BigInteger Mantissa, int Scale) Parts(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = (BigInteger)Mantissa(bits);
        return (bits[3] < 0 ? -mantissa : mantissa, (bits[3] >> 16) & 0xFF);
    }

    private static UInt128 Mantissa(ReadOnlySpan<int> bits) =>
        ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
}
