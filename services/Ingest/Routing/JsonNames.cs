using System.Text.Json;

namespace Ingest.Routing;

/// <summary>
/// Small helpers over <see cref="Utf8JsonReader"/> shared by the frame scan: property names compared as raw
/// bytes (Binance never escapes them, so the escaped path only has to be correct, not fast) and string
/// tokens turned into byte ranges of the frame.
/// </summary>
internal static class JsonNames
{
    /// <summary>Longest escaped property name unescaped into the caller's buffer; longer ones match nothing we look for.</summary>
    public const int MaxNameBytes = 32;

    /// <summary>
    /// Unescapes the current property name into <paramref name="buffer"/> and returns its length (0 when too
    /// long to be a name we look for). Callers inline <c>ValueIsEscaped ? buffer[..Unescape] : ValueSpan</c>
    /// because a method returning a span of the buffer next to a <c>ref</c> reader cannot take stack memory.
    /// </summary>
    public static int Unescape(ref Utf8JsonReader reader, scoped Span<byte> buffer) =>
        reader.ValueSpan.Length > buffer.Length ? 0 : reader.CopyString(buffer);

    /// <summary>
    /// The raw content of the string token the reader is on, between its quotes. Raw means still escaped:
    /// the range points into the frame, which is what a zero-copy caller wants.
    /// </summary>
    public static Range ContentRange(ref Utf8JsonReader reader)
    {
        var start = checked((int)reader.TokenStartIndex + 1);
        return new Range(start, start + reader.ValueSpan.Length);
    }
}
