using System.Buffers.Text;

namespace BinanceRecordings;

/// <summary>Small parsers over UTF-8 spans shared by the CSV and capture readers.</summary>
internal static class Utf8Text
{
    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value) =>
        Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length && !text.IsEmpty;

    /// <summary>data.binance.vision writes Python's True/False in older files and true/false in newer ones.</summary>
    public static bool TryParseBoolean(ReadOnlySpan<byte> text, out bool value)
    {
        value = text.SequenceEqual("True"u8) || text.SequenceEqual("true"u8);
        return value || text.SequenceEqual("False"u8) || text.SequenceEqual("false"u8);
    }

    /// <summary>
    /// Epoch seconds with an optional fraction ("1618677447.2908978", as Python's time.time() prints)
    /// to nanoseconds, exactly: the fraction's digits are taken as written, not through a double.
    /// </summary>
    public static bool TryParseEpochSecondsAsNanoseconds(ReadOnlySpan<byte> text, out long nanoseconds)
    {
        nanoseconds = 0;
        var point = text.IndexOf((byte)'.');
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? [] : text[(point + 1)..];
        if (!TryParseInt64(whole, out var seconds) || seconds < 0 || fraction.Length > 9
            || (point >= 0 && (fraction.IsEmpty || !TryParseInt64(fraction, out _) || fraction[0] == (byte)'-')))
        {
            return false;
        }

        long fractionNs = 0;
        for (var i = 0; i < 9; i++)
        {
            fractionNs = (fractionNs * 10) + (i < fraction.Length ? fraction[i] - (byte)'0' : 0);
        }

        nanoseconds = checked((seconds * 1_000_000_000) + fractionNs);
        return true;
    }
}
