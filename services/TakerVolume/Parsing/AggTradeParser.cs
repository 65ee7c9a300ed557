using System.Text.Json;
using static TakerVolume.Parsing.PayloadJson;

namespace TakerVolume.Parsing;

/// <summary>
/// Parses Binance aggregate trades exactly and without allocating on the success path
/// (<see cref="Utf8JsonReader"/> over the bytes, decimals straight from UTF-8).
/// </summary>
/// <remarks>
/// <para>Accepted: a WebSocket event <c>{"e":"aggTrade","E":..,"s":"BTCUSDT","a":..,"p":"..","q":"..","f":..,"l":..,"T":..,"m":true,"M":true}</c>
/// (spot; USD-M futures without "M"), or a REST <c>/api/v3/aggTrades</c> or <c>/fapi/v1/aggTrades</c> row
/// (no e, E, s). Properties may come in any order; unknown ones ("M", "nq", ...) are skipped;
/// escaped names and values are resolved.</para>
/// <para>Required: a, p, q, f, l, T, m. Optional: e (must be "aggTrade"), s (must equal the record's
/// symbol, ordinal), E. A field the parser reads that appears twice is <see cref="PayloadError.MalformedJson"/>.
/// T and E at or above 1e14 are microseconds.</para>
/// <para>Errors are reported in a fixed order: malformed JSON, wrong e, wrong s, then missing (or
/// null) fields in the order a, p, q, f, l, T, m; then fields of the wrong form (ids and times not
/// 64-bit integers, p/q not exact decimal strings, m not a boolean, E not an integer); then values
/// out of range (a, p, q, f, l, T, E). Binance's invalid-row marker (p = 0, q = 0, f = -1, l = -1)
/// is not an error: it parses with <see cref="ParsedAggTrade.IsMarkedInvalid"/> set.</para>
/// </remarks>
internal static class AggTradeParser
{
    private const string Kind = "aggTrade";

    /// <summary>
    /// Parses one aggTrade payload (WebSocket event or REST row) published under <paramref name="symbol"/>.
    /// </summary>
    /// <param name="payload">The exchange's JSON bytes.</param>
    /// <param name="symbol">The symbol the record was published under (upper case); the payload's "s", when present, must equal it.</param>
    /// <param name="trade">The trade when the result is <see cref="PayloadError.None"/>, otherwise default.</param>
    /// <param name="reason">Null on success, otherwise one line naming the field and quoting the offending text (a dead-letter reason).</param>
    /// <returns><see cref="PayloadError.None"/> or why the payload was rejected.</returns>
    public static PayloadError TryParse(ReadOnlySpan<byte> payload, string symbol, out ParsedAggTrade trade, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        trade = default;
        var fields = default(Fields);
        var error = ReadObject(payload, Kind, symbol, ref fields, Read, out reason);
        if (error != PayloadError.None)
        {
            return error;
        }

        return Validate(payload, symbol, in fields, out trade, out reason);
    }

    private static void Read(ref Utf8JsonReader reader, string symbol, ref Fields fields)
    {
        while (NextProperty(ref reader, out var letter))
        {
            switch (letter)
            {
                case (byte)'e':
                    NoteRepeat(fields.EventType, letter, ref fields.Repeated);
                    fields.EventType = ReadExpectedText(ref reader, "aggTrade"u8);
                    break;
                case (byte)'s':
                    NoteRepeat(fields.Symbol, letter, ref fields.Repeated);
                    fields.Symbol = ReadExpectedText(ref reader, symbol);
                    break;
                case (byte)'E':
                    NoteRepeat(fields.EventTime, letter, ref fields.Repeated);
                    fields.EventTime = ReadInt64(ref reader, out fields.EventTimeValue);
                    break;
                case (byte)'a':
                    NoteRepeat(fields.AggregateId, letter, ref fields.Repeated);
                    fields.AggregateId = ReadInt64(ref reader, out fields.AggregateIdValue);
                    break;
                case (byte)'p':
                    NoteRepeat(fields.Price, letter, ref fields.Repeated);
                    fields.Price = ReadDecimal(ref reader, out fields.PriceValue);
                    break;
                case (byte)'q':
                    NoteRepeat(fields.Quantity, letter, ref fields.Repeated);
                    fields.Quantity = ReadDecimal(ref reader, out fields.QuantityValue);
                    break;
                case (byte)'f':
                    NoteRepeat(fields.FirstId, letter, ref fields.Repeated);
                    fields.FirstId = ReadInt64(ref reader, out fields.FirstIdValue);
                    break;
                case (byte)'l':
                    NoteRepeat(fields.LastId, letter, ref fields.Repeated);
                    fields.LastId = ReadInt64(ref reader, out fields.LastIdValue);
                    break;
                case (byte)'T':
                    NoteRepeat(fields.TradeTime, letter, ref fields.Repeated);
                    fields.TradeTime = ReadInt64(ref reader, out fields.TradeTimeValue);
                    break;
                case (byte)'m':
                    NoteRepeat(fields.BuyerIsMaker, letter, ref fields.Repeated);
                    fields.BuyerIsMaker = ReadBoolean(ref reader, out fields.BuyerIsMakerValue);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    private static PayloadError Validate(ReadOnlySpan<byte> payload, string symbol, in Fields fields, out ParsedAggTrade trade, out string? reason)
    {
        trade = default;
        if (fields.Repeated != 0)
        {
            reason = Reason($"{Kind} field '{(char)fields.Repeated}' appears more than once");
            return PayloadError.MalformedJson;
        }

        if (fields.EventType.IsPresent && !fields.EventType.IsValid)
        {
            reason = Reason($"{Kind} field 'e' is {Quote(payload, fields.EventType)}, expected \"aggTrade\"");
            return PayloadError.WrongEventType;
        }

        if (fields.Symbol.IsPresent && !fields.Symbol.IsValid)
        {
            reason = Reason($"{Kind} field 's' is {Quote(payload, fields.Symbol)}, expected the record's symbol \"{symbol}\"");
            return PayloadError.SymbolMismatch;
        }

        if (Missing(fields.AggregateId, 'a', out reason) || Missing(fields.Price, 'p', out reason) || Missing(fields.Quantity, 'q', out reason)
            || Missing(fields.FirstId, 'f', out reason) || Missing(fields.LastId, 'l', out reason) || Missing(fields.TradeTime, 'T', out reason)
            || Missing(fields.BuyerIsMaker, 'm', out reason))
        {
            return PayloadError.MissingField;
        }

        var error = FormError(payload, in fields, out reason);
        if (error != PayloadError.None)
        {
            return error;
        }

        error = RangeError(payload, in fields, out reason);
        if (error != PayloadError.None)
        {
            return error;
        }

        var tradeTime = fields.TradeTimeValue;
        trade = new ParsedAggTrade(
            fields.AggregateIdValue,
            fields.PriceValue,
            fields.QuantityValue,
            fields.FirstIdValue,
            fields.LastIdValue,
            ToMilliseconds(tradeTime),
            IsMicroseconds(tradeTime) ? tradeTime : -1,
            fields.EventTime.IsPresent ? ToMilliseconds(fields.EventTimeValue) : -1,
            fields.BuyerIsMakerValue);
        reason = null;
        return PayloadError.None;
    }

    private static bool Missing(FieldToken token, char name, out string? reason)
    {
        reason = token.State switch
        {
            FieldState.Absent => Reason($"{Kind} field '{name}' is missing"),
            FieldState.Null => Reason($"{Kind} field '{name}' is null"),
            _ => null,
        };
        return reason is not null;
    }

    /// <summary>Fields present with the wrong JSON type or form.</summary>
    private static PayloadError FormError(ReadOnlySpan<byte> payload, in Fields fields, out string? reason)
    {
        reason = null;
        if (!fields.AggregateId.IsValid)
        {
            reason = NotInteger(payload, fields.AggregateId, 'a');
            return PayloadError.InvalidIds;
        }

        if (!fields.Price.IsValid)
        {
            reason = NotDecimal(payload, fields.Price, 'p');
            return PayloadError.InvalidDecimal;
        }

        if (!fields.Quantity.IsValid)
        {
            reason = NotDecimal(payload, fields.Quantity, 'q');
            return PayloadError.InvalidDecimal;
        }

        if (!fields.FirstId.IsValid)
        {
            reason = NotInteger(payload, fields.FirstId, 'f');
            return PayloadError.InvalidIds;
        }

        if (!fields.LastId.IsValid)
        {
            reason = NotInteger(payload, fields.LastId, 'l');
            return PayloadError.InvalidIds;
        }

        if (!fields.TradeTime.IsValid)
        {
            reason = NotInteger(payload, fields.TradeTime, 'T');
            return PayloadError.InvalidTime;
        }

        if (!fields.BuyerIsMaker.IsValid)
        {
            reason = Reason($"{Kind} field 'm' is not a JSON boolean (true or false): {Quote(payload, fields.BuyerIsMaker)}");
            return PayloadError.MissingField;
        }

        if (fields.EventTime.IsPresent && !fields.EventTime.IsValid)
        {
            reason = NotInteger(payload, fields.EventTime, 'E');
            return PayloadError.InvalidTime;
        }

        return PayloadError.None;
    }

    /// <summary>Values out of range; Binance's invalid-row marker passes.</summary>
    private static PayloadError RangeError(ReadOnlySpan<byte> payload, in Fields fields, out string? reason)
    {
        reason = null;
        if (fields.AggregateIdValue < 0)
        {
            reason = Reason($"{Kind} field 'a' is negative: {fields.AggregateIdValue}");
            return PayloadError.InvalidIds;
        }

        var isMarkedInvalid = fields.FirstIdValue == -1 && fields.LastIdValue == -1 && fields.PriceValue == 0m && fields.QuantityValue == 0m;
        if (!isMarkedInvalid)
        {
            if (fields.PriceValue <= 0m)
            {
                reason = NotPositive(payload, fields.Price, 'p');
                return PayloadError.NonPositivePrice;
            }

            if (fields.QuantityValue <= 0m)
            {
                reason = NotPositive(payload, fields.Quantity, 'q');
                return PayloadError.NonPositiveQuantity;
            }

            if (fields.FirstIdValue < 0)
            {
                reason = Reason($"{Kind} field 'f' is negative: {fields.FirstIdValue} (and p, q, f, l are not Binance's invalid-row marker 0, 0, -1, -1)");
                return PayloadError.InvalidIds;
            }

            if (fields.LastIdValue < fields.FirstIdValue)
            {
                reason = Reason($"{Kind} field 'l' is below field 'f': l={fields.LastIdValue}, f={fields.FirstIdValue}");
                return PayloadError.InvalidIds;
            }
        }

        if (fields.TradeTimeValue <= 0)
        {
            reason = Reason($"{Kind} field 'T' is not a positive epoch time: {fields.TradeTimeValue}");
            return PayloadError.InvalidTime;
        }

        if (fields.EventTime.IsPresent && fields.EventTimeValue <= 0)
        {
            reason = Reason($"{Kind} field 'E' is not a positive epoch time: {fields.EventTimeValue}");
            return PayloadError.InvalidTime;
        }

        return PayloadError.None;
    }

    private static string NotInteger(ReadOnlySpan<byte> payload, FieldToken token, char name) =>
        Reason($"{Kind} field '{name}' is not a 64-bit integer: {Quote(payload, token)}");

    private static string NotDecimal(ReadOnlySpan<byte> payload, FieldToken token, char name) =>
        Reason($"{Kind} field '{name}' is not an exact decimal string: {Quote(payload, token)}");

    private static string NotPositive(ReadOnlySpan<byte> payload, FieldToken token, char name) =>
        Reason($"{Kind} field '{name}' is not a positive exact decimal: {Quote(payload, token)}");

    /// <summary>What the reader found, field by field.</summary>
    private struct Fields
    {
        public FieldToken EventType;
        public FieldToken Symbol;
        public FieldToken EventTime;
        public FieldToken AggregateId;
        public FieldToken Price;
        public FieldToken Quantity;
        public FieldToken FirstId;
        public FieldToken LastId;
        public FieldToken TradeTime;
        public FieldToken BuyerIsMaker;
        public long EventTimeValue;
        public long AggregateIdValue;
        public decimal PriceValue;
        public decimal QuantityValue;
        public long FirstIdValue;
        public long LastIdValue;
        public long TradeTimeValue;
        public bool BuyerIsMakerValue;

        /// <summary>The first field read twice, 0 for none.</summary>
        public byte Repeated;
    }
}
