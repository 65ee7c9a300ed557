using System.Text.Json;

namespace Ingest.Rest;

/// <summary>
/// Reads Binance REST bodies with one <see cref="Utf8JsonReader"/> pass over the response bytes: no DOM per row, no
/// copy of a row, unknown fields skipped (Binance adds fields without notice; futures rows lack <c>M</c>, and
/// <c>nq</c> may appear).
/// </summary>
internal static class BinanceRestJson
{
    /// <summary>Rows of an <c>aggTrades</c> body (<c>[{"a":…,"p":…,"q":…,"f":…,"l":…,"T":…,"m":…,"M":…},…]</c>).</summary>
    /// <exception cref="JsonException">Not an array of objects with numeric <c>a</c> and <c>T</c>.</exception>
    public static List<AggTradeRow> ReadAggTrades(ReadOnlyMemory<byte> body)
    {
        var rows = new List<AggTradeRow>();
        var reader = new Utf8JsonReader(body.Span);
        Expect(ref reader, JsonTokenType.StartArray, "an aggTrades array");
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"aggTrades: expected an object at byte {reader.TokenStartIndex}, found {reader.TokenType}.");
            }

            var start = (int)reader.TokenStartIndex;
            long? id = null;
            long? time = null;
            long? first = null;
            long? last = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                var field = reader.ValueTextEquals("a"u8) ? 'a'
                    : reader.ValueTextEquals("T"u8) ? 'T'
                    : reader.ValueTextEquals("f"u8) ? 'f'
                    : reader.ValueTextEquals("l"u8) ? 'l'
                    : '\0';
                Next(ref reader);
                if (field != '\0' && reader.TokenType == JsonTokenType.Number)
                {
                    var value = reader.GetInt64();
                    switch (field)
                    {
                        case 'a': id = value; break;
                        case 'T': time = value; break;
                        case 'f': first = value; break;
                        default: last = value; break;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            var end = (int)reader.BytesConsumed;
            if (id is null || time is null)
            {
                throw new JsonException($"aggTrades: row at byte {start} lacks a numeric 'a' or 'T'.");
            }

            rows.Add(new AggTradeRow(id.Value, time.Value, first == -1 && last == -1, body[start..end]));
        }

        return rows;
    }

    /// <summary>The <c>symbols</c> of an <c>exchangeInfo</c> body; everything else (rate limits, filters) is skipped.</summary>
    /// <exception cref="JsonException">Not an object, or a symbol entry without <c>symbol</c>.</exception>
    public static List<ExchangeSymbol> ReadExchangeInfo(ReadOnlySpan<byte> body)
    {
        var symbols = new List<ExchangeSymbol>();
        var reader = new Utf8JsonReader(body);
        Expect(ref reader, JsonTokenType.StartObject, "an exchangeInfo object");
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var isSymbols = reader.ValueTextEquals("symbols"u8);
            Next(ref reader);
            if (!isSymbols || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            while (Next(ref reader) == JsonTokenType.StartObject)
            {
                symbols.Add(ReadSymbol(ref reader));
            }
        }

        return symbols;
    }

    /// <summary>Binance's error body <c>{"code":…,"msg":…}</c>; (null, null) when the body is something else (HTML, empty).</summary>
    public static (int? Code, string? Message) ReadError(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }

            int? code = null;
            string? message = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                var isCode = reader.ValueTextEquals("code"u8);
                var isMessage = reader.ValueTextEquals("msg"u8);
                Next(ref reader);
                if (isCode && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value))
                {
                    code = value;
                }
                else if (isMessage && reader.TokenType == JsonTokenType.String)
                {
                    message = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            return (code, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static ExchangeSymbol ReadSymbol(ref Utf8JsonReader reader)
    {
        string? symbol = null;
        string? status = null;
        string? baseAsset = null;
        string? quoteAsset = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var field = reader.ValueTextEquals("symbol"u8) ? 1
                : reader.ValueTextEquals("status"u8) ? 2
                : reader.ValueTextEquals("baseAsset"u8) ? 3
                : reader.ValueTextEquals("quoteAsset"u8) ? 4
                : 0;
            Next(ref reader);
            if (field == 0 || reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }

            var value = reader.GetString();
            switch (field)
            {
                case 1: symbol = value; break;
                case 2: status = value; break;
                case 3: baseAsset = value; break;
                default: quoteAsset = value; break;
            }
        }

        if (string.IsNullOrEmpty(symbol))
        {
            throw new JsonException("exchangeInfo: a symbol entry lacks 'symbol'.");
        }

        return new ExchangeSymbol(symbol, status ?? string.Empty, baseAsset ?? string.Empty, quoteAsset ?? string.Empty);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException($"Body ends early at byte {reader.BytesConsumed}.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (Next(ref reader) != type)
        {
            throw new JsonException($"Expected {what}, found {reader.TokenType}.");
        }
    }
}
