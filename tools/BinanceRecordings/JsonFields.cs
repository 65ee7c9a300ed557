using System.Text.Json;

namespace BinanceRecordings;

/// <summary>
/// Forward-only helpers over <see cref="Utf8JsonReader"/> for Binance payloads, whose field names
/// are mostly single case-sensitive letters ("q" quote volume vs "Q" taker buy quote volume).
/// </summary>
internal static class JsonFields
{
    public static void ReadStartObject(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("expected a JSON object");
        }
    }

    /// <summary>Moves to the next property's value; false at the end of the current object.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader, out ReadOnlySpan<byte> name)
    {
        name = default;
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndObject)
        {
            return false;
        }

        name = reader.ValueSpan;
        reader.Read();
        return true;
    }

    /// <summary>The single-letter key of a property, or 0 for longer names.</summary>
    public static byte Letter(ReadOnlySpan<byte> name) => name.Length == 1 ? name[0] : (byte)0;

    public static ExactNumber Number(ref Utf8JsonReader reader, char field) =>
        reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && ExactNumber.TryParseUtf8(reader.ValueSpan, out var number)
            ? number
            : throw new FormatException($"field {field} is not an exact decimal string");

    public static IReadOnlyList<PriceLevel> Levels(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException($"field {field} is not an array of [price, quantity]");
        }

        var levels = new List<PriceLevel>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            var price = Number(ref reader, 'p');
            reader.Read();
            var quantity = Number(ref reader, 'q');
            if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
            {
                throw new FormatException($"a level of {field} is not a [price, quantity] pair");
            }

            levels.Add(new PriceLevel(price, quantity));
        }

        return reader.TokenType == JsonTokenType.EndArray ? levels : throw new FormatException($"field {field} is not an array of [price, quantity]");
    }

    public static T Required<T>(T? value, char field)
        where T : struct => value ?? throw new FormatException($"field {field} is missing");

    public static T Required<T>(T? value, string field)
        where T : class => value ?? throw new FormatException($"field {field} is missing");
}
