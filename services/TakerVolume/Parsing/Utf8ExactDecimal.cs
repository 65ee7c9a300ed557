namespace TakerVolume.Parsing;

/// <summary>
/// Parses exact decimal text (proto/README.md "Exact decimals", the same language as
/// Streaming.Contracts.ExactDecimal) straight from UTF-8 bytes, without allocating: an optional
/// leading '-', one or more ASCII digits, then optionally '.' and one or more ASCII digits; no
/// exponent, '+', spaces or separators. The value is exact and keeps the text's scale
/// ("1.50000000" has Scale 8), or the parse fails: at most 28 fractional digits, and the digits
/// without leading zeros (the 96-bit mantissa) must stay below 2^96 (29 digits at most).
/// </summary>
internal static class Utf8ExactDecimal
{
    /// <summary>The most fractional digits a <see cref="decimal"/> holds.</summary>
    public const int MaxFractionDigits = 28;

    /// <summary>The most significant digits a <see cref="decimal"/> holds (the 29th only below 2^96 ≈ 7.9e28).</summary>
    public const int MaxSignificantDigits = 29;

    // Digits that certainly fit a ulong: 10^19 - 1 < 2^64.
    private const int UInt64Digits = 19;

    private static readonly UInt128 _mantissaLimit = UInt128.One << 96;

    /// <summary>Parses <paramref name="utf8"/> exactly; false when it is not exact decimal text or does not fit a decimal without rounding.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out decimal value)
    {
        value = 0m;
        var index = 0;
        var negative = false;
        if (!utf8.IsEmpty && utf8[0] == (byte)'-')
        {
            negative = true;
            index = 1;
        }

        ulong small = 0;
        UInt128 wide = 0;
        var significant = 0;

        var integerStart = index;
        while (index < utf8.Length)
        {
            var digit = (uint)(utf8[index] - (byte)'0');
            if (digit > 9)
            {
                break;
            }

            if (!Accumulate(digit, ref small, ref wide, ref significant))
            {
                return false;
            }

            index++;
        }

        if (index == integerStart)
        {
            return false;
        }

        var scale = 0;
        if (index < utf8.Length)
        {
            if (utf8[index] != (byte)'.')
            {
                return false;
            }

            var fractionStart = ++index;
            while (index < utf8.Length)
            {
                var digit = (uint)(utf8[index] - (byte)'0');
                if (digit > 9 || index - fractionStart >= MaxFractionDigits || !Accumulate(digit, ref small, ref wide, ref significant))
                {
                    return false;
                }

                index++;
            }

            scale = index - fractionStart;
            if (scale == 0)
            {
                return false;
            }
        }

        uint low, middle, high;
        if (significant <= UInt64Digits)
        {
            low = (uint)small;
            middle = (uint)(small >> 32);
            high = 0;
        }
        else
        {
            if (wide >= _mantissaLimit)
            {
                return false;
            }

            low = (uint)wide;
            middle = (uint)(wide >> 32);
            high = (uint)(wide >> 64);
        }

        value = new decimal((int)low, (int)middle, (int)high, negative, (byte)scale);
        return true;
    }

    /// <summary>Appends one digit to the mantissa; false when it would have more than 29 significant digits.</summary>
    private static bool Accumulate(uint digit, ref ulong small, ref UInt128 wide, ref int significant)
    {
        if (significant == 0)
        {
            if (digit == 0)
            {
                return true; // a leading zero adds nothing to the mantissa
            }

            small = digit;
            significant = 1;
            return true;
        }

        significant++;
        if (significant <= UInt64Digits)
        {
            small = (small * 10) + digit;
            return true;
        }

        if (significant > MaxSignificantDigits)
        {
            return false;
        }

        if (significant == UInt64Digits + 1)
        {
            wide = small;
        }

        wide = (wide * 10) + digit;
        return true;
    }
}
