using System.Text;
using Streaming.Contracts;

namespace BinanceRecordings;

/// <summary>
/// A price, quantity or volume exactly as the exchange wrote it: the original text (scale kept,
/// e.g. "0.00100000") and its exact <see cref="decimal"/> value. Never a binary floating point number.
/// </summary>
/// <param name="Text">The exchange's text, canonical per proto/README.md "Exact decimals".</param>
/// <param name="Value">The exact value of <paramref name="Text"/>.</param>
public readonly record struct ExactNumber(string Text, decimal Value)
{
    // Longer text cannot be an exact decimal (29 significant digits, 28 fractional) short of absurd zero padding.
    private const int MaxTextLength = 64;

    /// <summary>The exchange's text.</summary>
    public override string ToString() => Text;

    /// <summary>Parses ASCII digits from a UTF-8 span; false if not canonical exact decimal text.</summary>
    internal static bool TryParseUtf8(ReadOnlySpan<byte> utf8, out ExactNumber number)
    {
        number = default;
        if (utf8.IsEmpty || utf8.Length > MaxTextLength)
        {
            return false;
        }

        Span<char> chars = stackalloc char[utf8.Length];
        if (Ascii.ToUtf16(utf8, chars, out var written) != System.Buffers.OperationStatus.Done
            || !ExactDecimal.TryParse(chars[..written], out var value))
        {
            return false;
        }

        number = new ExactNumber(new string(chars[..written]), value);
        return true;
    }
}
