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

    private static UInt128 Mantissa(ReadOnlySpan<int> bits) =>
        ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
}
