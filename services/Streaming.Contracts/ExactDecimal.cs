using System.Globalization;

namespace Streaming.Contracts;

/// <summary>
/// Converts between <see cref="decimal"/> and the exact decimal text every price, quantity and
/// volume field of the contracts holds (proto/README.md, "Exact decimals"): an optional leading
/// '-', one or more digits, then optionally '.' and one or more digits. No exponent, no spaces, no
/// '+', no thousands separators, no NaN or infinity. The scale is preserved both ways
/// ("1.50000000" stays "1.50000000"), so values keep the exchange's precision on the wire.
/// </summary>
public static class ExactDecimal
{
    /// <summary>The most fractional digits a <see cref="decimal"/> holds.</summary>
    public const int MaxFractionDigits = 28;

    /// <summary>The most significant digits a <see cref="decimal"/> holds (the 29th only below 7.9e28).</summary>
    public const int MaxSignificantDigits = 29;

    /// <summary>Formats <paramref name="value"/> as canonical text, keeping its scale; never an exponent.</summary>
    public static string Format(decimal value)
    {
        // decimal keeps the sign of a negative zero ("-0.00"); the canonical text of zero has none.
        var unsigned = value == 0m ? Math.Abs(value) : value;
        return unsigned.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Parses canonical text exactly.</summary>
    /// <exception cref="FormatException">The text is not canonical, or has more digits than a decimal holds exactly; the message says which.</exception>
    public static decimal Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var error = TryParseCore(text, out var value);
        return error is null ? value : throw new FormatException($"'{text}' is not an exact decimal: {error}.");
    }

    /// <summary>Parses canonical text exactly; false if it is not canonical or does not fit a decimal without rounding.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out decimal value) => TryParseCore(text, out value) is null;

    /// <summary>
    /// <paramref name="left"/> × <paramref name="right"/> (e.g. price × quantity), exact: the result
    /// keeps the sum of both scales. Throws instead of rounding when the product has more digits than
    /// a decimal holds (decimal multiplication would silently round it).
    /// </summary>
    /// <exception cref="OverflowException">The exact product does not fit a decimal.</exception>
    public static decimal Multiply(decimal left, decimal right)
    {
        var product = left * right;
        // A zero factor may give a zero with a capped scale; a zero from two non-zero factors was rounded away.
        var exact = product.Scale == left.Scale + right.Scale || (product == 0m && (left == 0m || right == 0m));
        return exact
            ? product
            : throw new OverflowException($"{Format(left)} x {Format(right)} has more digits than a decimal holds exactly.");
    }

    /// <summary>
    /// <paramref name="left"/> + <paramref name="right"/>, exact: throws instead of rounding when the
    /// sum has more digits than a decimal holds (decimal addition would silently round it).
    /// </summary>
    /// <exception cref="OverflowException">The exact sum does not fit a decimal.</exception>
    public static decimal Add(decimal left, decimal right)
    {
        var sum = left + right;
        return sum.Scale == Math.Max(left.Scale, right.Scale)
            ? sum
            : throw new OverflowException($"{Format(left)} + {Format(right)} has more digits than a decimal holds exactly.");
    }

    /// <returns>null when <paramref name="text"/> parsed exactly into <paramref name="value"/>, otherwise why not.</returns>
    private static string? TryParseCore(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0m;
        var digits = text.Length > 0 && text[0] == '-' ? text[1..] : text;
        var point = digits.IndexOf('.');
        var integerPart = point < 0 ? digits : digits[..point];
        var fractionPart = point < 0 ? [] : digits[(point + 1)..];

        if (integerPart.IsEmpty || !IsAsciiDigits(integerPart) || (point >= 0 && (fractionPart.IsEmpty || !IsAsciiDigits(fractionPart))))
        {
            return "expected [-]digits[.digits] (no exponent, spaces, '+' or separators)";
        }

        if (fractionPart.Length > MaxFractionDigits)
        {
            return $"more than {MaxFractionDigits} fractional digits";
        }

        var significantDigits = integerPart.TrimStart('0').Length + fractionPart.Length;
        if (significantDigits > MaxSignificantDigits
            || !decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
            // decimal.TryParse rounds away digits it cannot hold (lowering the scale) instead of failing.
            || value.Scale != fractionPart.Length)
        {
            value = 0m;
            return $"more significant digits than a decimal holds exactly ({MaxSignificantDigits} at most, below 7.9e28)";
        }

        return null;
    }

    private static bool IsAsciiDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');
}
