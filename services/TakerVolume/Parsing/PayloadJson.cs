using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TakerVolume.Parsing;

/// <summary>How one field of a payload was found.</summary>
internal enum FieldState : byte
{
    /// <summary>Not in the payload.</summary>
    Absent = 0,

    /// <summary>JSON null.</summary>
    Null,

    /// <summary>The expected JSON type with a usable value.</summary>
    Valid,

    /// <summary>Present, but not of the expected JSON type or form (the token is kept for the reason).</summary>
    Invalid,
}

/// <summary>A field's state and where its value token lies in the payload, so a reason can quote it later without allocating before an error.</summary>
internal readonly record struct FieldToken(FieldState State, int Start, int Length)
{
    public bool IsPresent => State != FieldState.Absent;

    public bool IsValid => State == FieldState.Valid;
}

/// <summary>
/// Field-level reading shared by <see cref="AggTradeParser"/> and <see cref="KlineParser"/> on a
/// <see cref="Utf8JsonReader"/> (no DOM, no allocation on the success path), and the text of the reasons.
/// </summary>
internal static class PayloadJson
{
    /// <summary>Epoch values at or above this are microseconds (1e14 ms is the year 5138; 1e14 µs is 1973).</summary>
    public const long MicrosecondThreshold = 100_000_000_000_000;

    // Reasons quote at most this many characters of the offending token.
    private const int MaxQuotedLength = 80;

    public static bool IsMicroseconds(long epochTime) => epochTime >= MicrosecondThreshold;

    /// <summary>An epoch time in ms or µs (by magnitude) in ms, rounded down (times are positive).</summary>
    public static long ToMilliseconds(long epochTime) => IsMicroseconds(epochTime) ? epochTime / 1000 : epochTime;

    /// <summary>
    /// Moves to the next property of the current object and then onto its value. Returns false at
    /// the object's end. <paramref name="letter"/> is the property's name when it is one ASCII byte
    /// (every field the parsers read has a one-letter name), after unescaping; 0 for any other name.
    /// </summary>
    /// <exception cref="JsonException">The JSON is malformed.</exception>
    public static bool NextProperty(ref Utf8JsonReader reader, out byte letter)
    {
        letter = 0;
        if (!reader.Read())
        {
            throw new JsonException("The JSON ends inside an object.");
        }

        if (reader.TokenType == JsonTokenType.EndObject)
        {
            return false;
        }

        letter = PropertyLetter(ref reader);
        if (!reader.Read())
        {
            throw new JsonException("The JSON ends before a property's value.");
        }

        return true;
    }

    /// <summary>The current property name as one ASCII byte, or 0 when it is longer, shorter or not ASCII.</summary>
    private static byte PropertyLetter(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            return raw.Length == 1 && raw[0] < 0x80 ? raw[0] : (byte)0;
        }

        // Escaped, one unescaped byte is at most 6 bytes ("\u0070"); unescaping never lengthens text.
        if (raw.Length > 6)
        {
            return 0;
        }

        Span<byte> name = stackalloc byte[6];
        var length = reader.CopyString(name);
        return length == 1 && name[0] < 0x80 ? name[0] : (byte)0;
    }

    /// <summary>Reads the properties of the object the reader is on into the parser's fields.</summary>
    public delegate void ObjectReader<TFields>(ref Utf8JsonReader reader, string symbol, ref TFields fields)
        where TFields : struct;

    /// <summary>
    /// Reads <paramref name="payload"/>, which must be one JSON object and nothing after it, with
    /// <paramref name="readObject"/>; a payload that is not one (or not JSON) is <see cref="PayloadError.MalformedJson"/>
    /// with the reason. Shared by the parsers, which then validate what <paramref name="fields"/> holds.
    /// </summary>
    public static PayloadError ReadObject<TFields>(ReadOnlySpan<byte> payload, string payloadKind, string symbol, ref TFields fields, ObjectReader<TFields> readObject, out string? reason)
        where TFields : struct
    {
        reason = null;
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                reason = Reason($"{payloadKind} payload is not a JSON object: {Quote(payload, Locate(ref reader))}");
                return PayloadError.MalformedJson;
            }

            readObject(ref reader, symbol, ref fields);
            ReadEnd(ref reader);
            return PayloadError.None;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            reason = MalformedReason(payloadKind, exception);
            return PayloadError.MalformedJson;
        }
    }

    /// <summary>Ends the read of the top-level object: nothing but whitespace may follow it.</summary>
    /// <exception cref="JsonException">Data follows the object.</exception>
    public static void ReadEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("Data follows the JSON object.");
        }
    }

    /// <summary>
    /// Where the current value token lies (a whole object or array, which it skips). The state is
    /// <see cref="FieldState.Null"/> for null, otherwise <see cref="FieldState.Invalid"/> until the caller validates it.
    /// </summary>
    public static FieldToken Locate(ref Utf8JsonReader reader)
    {
        var start = checked((int)reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return new FieldToken(FieldState.Invalid, start, checked((int)reader.BytesConsumed) - start);
            case JsonTokenType.String:
                return new FieldToken(FieldState.Invalid, start, reader.ValueSpan.Length + 2);
            case JsonTokenType.Null:
                return new FieldToken(FieldState.Null, start, reader.ValueSpan.Length);
            default:
                return new FieldToken(FieldState.Invalid, start, reader.ValueSpan.Length);
        }
    }

    /// <summary>Reads the current value as a 64-bit integer: a JSON number without fraction or exponent.</summary>
    public static FieldToken ReadInt64(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        var token = Locate(ref reader);
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value) ? Valid(token) : token;
    }

    /// <summary>Reads the current value as a boolean: JSON true or false.</summary>
    public static FieldToken ReadBoolean(ref Utf8JsonReader reader, out bool value)
    {
        value = reader.TokenType == JsonTokenType.True;
        var token = Locate(ref reader);
        return reader.TokenType is JsonTokenType.True or JsonTokenType.False ? Valid(token) : token;
    }

    /// <summary>Reads the current value as exact decimal text in a JSON string (a JSON number is not accepted).</summary>
    public static FieldToken ReadDecimal(ref Utf8JsonReader reader, out decimal value)
    {
        value = 0m;
        var token = Locate(ref reader);
        if (reader.TokenType != JsonTokenType.String)
        {
            return token;
        }

        if (!reader.ValueIsEscaped)
        {
            return Utf8ExactDecimal.TryParse(reader.ValueSpan, out value) ? Valid(token) : token;
        }

        // Rare: escapes inside a number's text. Unescaping never lengthens it.
        var raw = reader.ValueSpan;
        Span<byte> text = raw.Length <= 128 ? stackalloc byte[128] : new byte[raw.Length];
        var length = reader.CopyString(text);
        return Utf8ExactDecimal.TryParse(text[..length], out value) ? Valid(token) : token;
    }

    /// <summary>Reads the current value and checks that it is the JSON string <paramref name="expected"/> (escapes resolved).</summary>
    public static FieldToken ReadExpectedText(ref Utf8JsonReader reader, ReadOnlySpan<byte> expected)
    {
        var token = Locate(ref reader);
        return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(expected) ? Valid(token) : token;
    }

    /// <summary>Reads the current value and checks that it is the JSON string <paramref name="expected"/> (ordinal, escapes resolved).</summary>
    public static FieldToken ReadExpectedText(ref Utf8JsonReader reader, string expected)
    {
        var token = Locate(ref reader);
        return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(expected) ? Valid(token) : token;
    }

    /// <summary>Notes <paramref name="letter"/> as the first repeated field when <paramref name="previous"/> was already read.</summary>
    public static void NoteRepeat(FieldToken previous, byte letter, ref byte repeated)
    {
        if (previous.IsPresent && repeated == 0)
        {
            repeated = letter;
        }
    }

    private static FieldToken Valid(FieldToken token) => token with { State = FieldState.Valid };

    /// <summary>The offending token's JSON text, for a reason: one line, shortened when long.</summary>
    public static string Quote(ReadOnlySpan<byte> payload, FieldToken token)
    {
        if (!token.IsPresent)
        {
            return "(absent)";
        }

        var raw = payload.Slice(token.Start, token.Length);
        var text = Encoding.UTF8.GetString(raw.Length > MaxQuotedLength * 4 ? raw[..(MaxQuotedLength * 4)] : raw);
        if (text.Length > MaxQuotedLength)
        {
            text = string.Concat(text.AsSpan(0, MaxQuotedLength), "...");
        }

        return OneLine(text);
    }

    /// <summary>The reason for malformed JSON, quoting the reader's message.</summary>
    public static string MalformedReason(string payloadKind, Exception exception) =>
        OneLine($"{payloadKind} payload is not valid JSON: {exception.Message}");

    private static string OneLine(string text)
    {
        foreach (var character in text)
        {
            if (char.IsControl(character))
            {
                var builder = new StringBuilder(text.Length);
                foreach (var c in text)
                {
                    builder.Append(char.IsControl(c) ? ' ' : c);
                }

                return builder.ToString();
            }
        }

        return text;
    }

    /// <summary>Formats a reason with the invariant culture (dead-letter reasons must not depend on the host's culture).</summary>
    public static string Reason(FormattableString text) => OneLine(text.ToString(CultureInfo.InvariantCulture));
}
