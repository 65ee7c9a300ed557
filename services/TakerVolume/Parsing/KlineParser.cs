using System.Text.Json;
using static TakerVolume.Parsing.PayloadJson;

namespace TakerVolume.Parsing;

/// <summary>
/// Parses Binance kline WebSocket events (any interval) exactly and without allocating on the
/// success path for the common intervals.
/// </summary>
/// <remarks>
/// <para>Accepted: <c>{"e":"kline","E":..,"s":"BTCUSDT","k":{"t":..,"T":..,"s":"BTCUSDT","i":"15m","f":..,"L":..,"o":"..","c":"..","h":"..","l":"..","v":"..","n":..,"x":false,"q":"..","V":"..","Q":"..","B":"0"}}</c>,
/// properties in any order, unknown ones skipped, escapes resolved. Optional: e (must be "kline"),
/// E, s and k.s (each must equal the record's symbol, ordinal). Required: k and its t, T, i, f, L,
/// o, c, h, l, v, n, x, q, V, Q. A field the parser reads that appears twice is
/// <see cref="PayloadError.MalformedJson"/>. Times at or above 1e14 are microseconds and are
/// converted to milliseconds (floor: a µs close time ...999999 becomes ...999).</para>
/// <para>Ranges: t &gt; 0 and T &gt; t; f and L both -1 with n = 0 (a kline without trades), or
/// 0 &lt;= f &lt;= L and n &gt;= 0; prices &gt;= 0, and &gt; 0 when n &gt; 0; volumes &gt;= 0.
/// An open kline (x = false) parses; <see cref="ParsedKline.IsClosed"/> says which it is.</para>
/// <para>Errors are reported in a fixed order: malformed JSON, wrong e, wrong s or k.s, missing k,
/// missing (or null) k fields in the order above, fields of the wrong form in that order (then E), values out of range.</para>
/// </remarks>
internal static class KlineParser
{
    private const string Kind = "kline";

    // Intervals Binance offers, shared instead of allocating a string per event.
    private static readonly string[] _intervals = ["1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M"];

    /// <summary>Parses one kline event published under <paramref name="symbol"/>.</summary>
    /// <param name="payload">The exchange's JSON bytes.</param>
    /// <param name="symbol">The symbol the record was published under (upper case); "s" and "k.s", when present, must equal it.</param>
    /// <param name="kline">The kline when the result is <see cref="PayloadError.None"/>, otherwise default.</param>
    /// <param name="reason">Null on success, otherwise one line naming the field and quoting the offending text (a dead-letter reason).</param>
    /// <returns><see cref="PayloadError.None"/> or why the payload was rejected.</returns>
    public static PayloadError TryParse(ReadOnlySpan<byte> payload, string symbol, out ParsedKline kline, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        kline = default;
        var fields = default(Fields);
        var error = ReadObject(payload, Kind, symbol, ref fields, ReadEvent, out reason);
        if (error != PayloadError.None)
        {
            return error;
        }

        return Validate(payload, symbol, in fields, out kline, out reason);
    }

    private static void ReadEvent(ref Utf8JsonReader reader, string symbol, ref Fields fields)
    {
        while (NextProperty(ref reader, out var letter))
        {
            switch (letter)
            {
                case (byte)'e':
                    NoteRepeat(fields.EventType, letter, ref fields.Repeated);
                    fields.EventType = ReadExpectedText(ref reader, "kline"u8);
                    break;
                case (byte)'s':
                    NoteRepeat(fields.Symbol, letter, ref fields.Repeated);
                    fields.Symbol = ReadExpectedText(ref reader, symbol);
                    break;
                case (byte)'E':
                    NoteRepeat(fields.EventTime, letter, ref fields.Repeated);
                    fields.EventTime = ReadInt64(ref reader, out fields.EventTimeValue);
                    break;
                case (byte)'k':
                    NoteRepeat(fields.Body, letter, ref fields.Repeated);
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        var start = checked((int)reader.TokenStartIndex);
                        ReadBody(ref reader, symbol, ref fields);
                        fields.Body = new FieldToken(FieldState.Valid, start, checked((int)reader.BytesConsumed) - start);
                    }
                    else
                    {
                        fields.Body = Locate(ref reader);
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    private static void ReadBody(ref Utf8JsonReader reader, string symbol, ref Fields fields)
    {
        // A second "k" starts afresh (and is reported as repeated).
        fields.K = default;
        ref var k = ref fields.K;
        while (NextProperty(ref reader, out var letter))
        {
            switch (letter)
            {
                case (byte)'s':
                    NoteRepeat(k.Symbol, letter, ref k.Repeated);
                    k.Symbol = ReadExpectedText(ref reader, symbol);
                    break;
                case (byte)'t':
                    NoteRepeat(k.OpenTime, letter, ref k.Repeated);
                    k.OpenTime = ReadInt64(ref reader, out k.OpenTimeValue);
                    break;
                case (byte)'T':
                    NoteRepeat(k.CloseTime, letter, ref k.Repeated);
                    k.CloseTime = ReadInt64(ref reader, out k.CloseTimeValue);
                    break;
                case (byte)'i':
                    NoteRepeat(k.Interval, letter, ref k.Repeated);
                    k.Interval = ReadInterval(ref reader, out k.IntervalValue);
                    break;
                case (byte)'f':
                    NoteRepeat(k.FirstId, letter, ref k.Repeated);
                    k.FirstId = ReadInt64(ref reader, out k.FirstIdValue);
                    break;
                case (byte)'L':
                    NoteRepeat(k.LastId, letter, ref k.Repeated);
                    k.LastId = ReadInt64(ref reader, out k.LastIdValue);
                    break;
                case (byte)'n':
                    NoteRepeat(k.TradeCount, letter, ref k.Repeated);
                    k.TradeCount = ReadInt64(ref reader, out k.TradeCountValue);
                    break;
                case (byte)'x':
                    NoteRepeat(k.IsClosed, letter, ref k.Repeated);
                    k.IsClosed = ReadBoolean(ref reader, out k.IsClosedValue);
                    break;
                case (byte)'o':
                    NoteRepeat(k.Open, letter, ref k.Repeated);
                    k.Open = ReadDecimal(ref reader, out k.OpenValue);
                    break;
                case (byte)'c':
                    NoteRepeat(k.Close, letter, ref k.Repeated);
                    k.Close = ReadDecimal(ref reader, out k.CloseValue);
                    break;
                case (byte)'h':
                    NoteRepeat(k.High, letter, ref k.Repeated);
                    k.High = ReadDecimal(ref reader, out k.HighValue);
                    break;
                case (byte)'l':
                    NoteRepeat(k.Low, letter, ref k.Repeated);
                    k.Low = ReadDecimal(ref reader, out k.LowValue);
                    break;
                case (byte)'v':
                    NoteRepeat(k.BaseVolume, letter, ref k.Repeated);
                    k.BaseVolume = ReadDecimal(ref reader, out k.BaseVolumeValue);
                    break;
                case (byte)'q':
                    NoteRepeat(k.QuoteVolume, letter, ref k.Repeated);
                    k.QuoteVolume = ReadDecimal(ref reader, out k.QuoteVolumeValue);
                    break;
                case (byte)'V':
                    NoteRepeat(k.TakerBuyBaseVolume, letter, ref k.Repeated);
                    k.TakerBuyBaseVolume = ReadDecimal(ref reader, out k.TakerBuyBaseVolumeValue);
                    break;
                case (byte)'Q':
                    NoteRepeat(k.TakerBuyQuoteVolume, letter, ref k.Repeated);
                    k.TakerBuyQuoteVolume = ReadDecimal(ref reader, out k.TakerBuyQuoteVolumeValue);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    /// <summary>Reads "i": a non-empty JSON string; the intervals Binance offers are shared instances.</summary>
    private static FieldToken ReadInterval(ref Utf8JsonReader reader, out string? interval)
    {
        interval = null;
        var token = Locate(ref reader);
        if (reader.TokenType != JsonTokenType.String)
        {
            return token;
        }

        if (!reader.ValueIsEscaped)
        {
            var raw = reader.ValueSpan;
            foreach (var known in _intervals)
            {
                if (raw.Length == known.Length && IsAsciiEqual(raw, known))
                {
                    interval = known;
                    break;
                }
            }
        }

        if (interval is null)
        {
            // An interval Binance does not list, or escaped text: allocate, then share a known one.
            var text = reader.GetString();
            if (string.IsNullOrEmpty(text))
            {
                return token;
            }

            var index = Array.IndexOf(_intervals, text);
            interval = index >= 0 ? _intervals[index] : text;
        }

        return token with { State = FieldState.Valid };
    }

    private static bool IsAsciiEqual(ReadOnlySpan<byte> utf8, string ascii)
    {
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] != ascii[i])
            {
                return false;
            }
        }

        return true;
    }

    private static PayloadError Validate(ReadOnlySpan<byte> payload, string symbol, in Fields fields, out ParsedKline kline, out string? reason)
    {
        kline = default;
        ref readonly var k = ref fields.K;
        var repeated = fields.Repeated != 0 ? $"'{(char)fields.Repeated}'" : k.Repeated != 0 ? $"'k.{(char)k.Repeated}'" : null;
        if (repeated is not null)
        {
            reason = Reason($"{Kind} field {repeated} appears more than once");
            return PayloadError.MalformedJson;
        }

        if (fields.EventType.IsPresent && !fields.EventType.IsValid)
        {
            reason = Reason($"{Kind} field 'e' is {Quote(payload, fields.EventType)}, expected \"kline\"");
            return PayloadError.WrongEventType;
        }

        if (fields.Symbol.IsPresent && !fields.Symbol.IsValid)
        {
            reason = Reason($"{Kind} field 's' is {Quote(payload, fields.Symbol)}, expected the record's symbol \"{symbol}\"");
            return PayloadError.SymbolMismatch;
        }

        if (fields.Body.IsValid && k.Symbol.IsPresent && !k.Symbol.IsValid)
        {
            reason = Reason($"{Kind} field 'k.s' is {Quote(payload, k.Symbol)}, expected the record's symbol \"{symbol}\"");
            return PayloadError.SymbolMismatch;
        }

        if (!fields.Body.IsValid)
        {
            reason = fields.Body.State switch
            {
                FieldState.Absent => Reason($"{Kind} field 'k' is missing"),
                FieldState.Null => Reason($"{Kind} field 'k' is null"),
                _ => Reason($"{Kind} field 'k' is not a JSON object: {Quote(payload, fields.Body)}"),
            };
            return PayloadError.MissingField;
        }

        if (Missing(k.OpenTime, 't', out reason) || Missing(k.CloseTime, 'T', out reason) || Missing(k.Interval, 'i', out reason)
            || Missing(k.FirstId, 'f', out reason) || Missing(k.LastId, 'L', out reason)
            || Missing(k.Open, 'o', out reason) || Missing(k.Close, 'c', out reason) || Missing(k.High, 'h', out reason) || Missing(k.Low, 'l', out reason)
            || Missing(k.BaseVolume, 'v', out reason) || Missing(k.TradeCount, 'n', out reason) || Missing(k.IsClosed, 'x', out reason)
            || Missing(k.QuoteVolume, 'q', out reason) || Missing(k.TakerBuyBaseVolume, 'V', out reason) || Missing(k.TakerBuyQuoteVolume, 'Q', out reason))
        {
            return PayloadError.MissingField;
        }

        var error = FormError(payload, in fields, out reason);
        if (error == PayloadError.None)
        {
            error = RangeError(payload, in fields, out reason);
        }

        if (error != PayloadError.None)
        {
            return error;
        }

        kline = new ParsedKline(
            ToMilliseconds(k.OpenTimeValue),
            ToMilliseconds(k.CloseTimeValue),
            k.IntervalValue!,
            k.FirstIdValue,
            k.LastIdValue,
            k.OpenValue,
            k.HighValue,
            k.LowValue,
            k.CloseValue,
            k.BaseVolumeValue,
            k.QuoteVolumeValue,
            k.TakerBuyBaseVolumeValue,
            k.TakerBuyQuoteVolumeValue,
            k.TradeCountValue,
            k.IsClosedValue,
            fields.EventTime.IsPresent ? ToMilliseconds(fields.EventTimeValue) : -1);
        reason = null;
        return PayloadError.None;
    }

    private static bool Missing(FieldToken token, char name, out string? reason)
    {
        reason = token.State switch
        {
            FieldState.Absent => Reason($"{Kind} field 'k.{name}' is missing"),
            FieldState.Null => Reason($"{Kind} field 'k.{name}' is null"),
            _ => null,
        };
        return reason is not null;
    }

    /// <summary>Fields present with the wrong JSON type or form, in the order t, T, i, f, L, o, c, h, l, v, n, x, q, V, Q, then E.</summary>
    private static PayloadError FormError(ReadOnlySpan<byte> payload, in Fields fields, out string? reason)
    {
        ref readonly var k = ref fields.K;
        reason = null;
        if (!k.OpenTime.IsValid || !k.CloseTime.IsValid)
        {
            reason = k.OpenTime.IsValid ? NotInteger(payload, k.CloseTime, "k.T") : NotInteger(payload, k.OpenTime, "k.t");
            return PayloadError.InvalidTime;
        }

        if (!k.Interval.IsValid)
        {
            reason = Reason($"{Kind} field 'k.i' is not a non-empty JSON string: {Quote(payload, k.Interval)}");
            return PayloadError.MissingField;
        }

        if (!k.FirstId.IsValid || !k.LastId.IsValid)
        {
            reason = k.FirstId.IsValid ? NotInteger(payload, k.LastId, "k.L") : NotInteger(payload, k.FirstId, "k.f");
            return PayloadError.InvalidIds;
        }

        if (NotDecimal(payload, k.Open, 'o', out reason) || NotDecimal(payload, k.Close, 'c', out reason)
            || NotDecimal(payload, k.High, 'h', out reason) || NotDecimal(payload, k.Low, 'l', out reason)
            || NotDecimal(payload, k.BaseVolume, 'v', out reason))
        {
            return PayloadError.InvalidDecimal;
        }

        if (!k.TradeCount.IsValid)
        {
            reason = NotInteger(payload, k.TradeCount, "k.n");
            return PayloadError.InvalidIds;
        }

        if (!k.IsClosed.IsValid)
        {
            reason = Reason($"{Kind} field 'k.x' is not a JSON boolean (true or false): {Quote(payload, k.IsClosed)}");
            return PayloadError.MissingField;
        }

        if (NotDecimal(payload, k.QuoteVolume, 'q', out reason) || NotDecimal(payload, k.TakerBuyBaseVolume, 'V', out reason)
            || NotDecimal(payload, k.TakerBuyQuoteVolume, 'Q', out reason))
        {
            return PayloadError.InvalidDecimal;
        }

        if (fields.EventTime.IsPresent && !fields.EventTime.IsValid)
        {
            reason = NotInteger(payload, fields.EventTime, "E");
            return PayloadError.InvalidTime;
        }

        return PayloadError.None;
    }

    /// <summary>Values out of range: times, then ids and count, then prices, then volumes.</summary>
    private static PayloadError RangeError(ReadOnlySpan<byte> payload, in Fields fields, out string? reason)
    {
        ref readonly var k = ref fields.K;
        reason = null;
        if (k.OpenTimeValue <= 0)
        {
            reason = Reason($"{Kind} field 'k.t' is not a positive epoch time: {k.OpenTimeValue}");
            return PayloadError.InvalidTime;
        }

        var openMs = ToMilliseconds(k.OpenTimeValue);
        var closeMs = ToMilliseconds(k.CloseTimeValue);
        if (closeMs <= openMs)
        {
            reason = Reason($"{Kind} field 'k.T' is not after field 'k.t' (in ms: T={closeMs}, t={openMs})");
            return PayloadError.InvalidTime;
        }

        if (fields.EventTime.IsPresent && fields.EventTimeValue <= 0)
        {
            reason = Reason($"{Kind} field 'E' is not a positive epoch time: {fields.EventTimeValue}");
            return PayloadError.InvalidTime;
        }

        if (k.FirstIdValue == -1 && k.LastIdValue == -1)
        {
            if (k.TradeCountValue != 0)
            {
                reason = Reason($"{Kind} field 'k.n' is {k.TradeCountValue} although fields 'k.f' and 'k.L' are -1 (no trades)");
                return PayloadError.InvalidIds;
            }
        }
        else if (k.FirstIdValue < 0)
        {
            reason = Reason($"{Kind} field 'k.f' is negative: {k.FirstIdValue} (only f = L = -1, a kline without trades, may be)");
            return PayloadError.InvalidIds;
        }
        else if (k.LastIdValue < k.FirstIdValue)
        {
            reason = Reason($"{Kind} field 'k.L' is below field 'k.f': L={k.LastIdValue}, f={k.FirstIdValue}");
            return PayloadError.InvalidIds;
        }

        if (k.TradeCountValue < 0)
        {
            reason = Reason($"{Kind} field 'k.n' is negative: {k.TradeCountValue}");
            return PayloadError.InvalidIds;
        }

        var hasTrades = k.TradeCountValue > 0;
        if (BadPrice(payload, k.Open, k.OpenValue, 'o', hasTrades, out reason) || BadPrice(payload, k.Close, k.CloseValue, 'c', hasTrades, out reason)
            || BadPrice(payload, k.High, k.HighValue, 'h', hasTrades, out reason) || BadPrice(payload, k.Low, k.LowValue, 'l', hasTrades, out reason))
        {
            return PayloadError.NonPositivePrice;
        }

        if (Negative(payload, k.BaseVolume, k.BaseVolumeValue, 'v', out reason) || Negative(payload, k.QuoteVolume, k.QuoteVolumeValue, 'q', out reason)
            || Negative(payload, k.TakerBuyBaseVolume, k.TakerBuyBaseVolumeValue, 'V', out reason)
            || Negative(payload, k.TakerBuyQuoteVolume, k.TakerBuyQuoteVolumeValue, 'Q', out reason))
        {
            return PayloadError.NonPositiveQuantity;
        }

        return PayloadError.None;
    }

    private static bool BadPrice(ReadOnlySpan<byte> payload, FieldToken token, decimal value, char name, bool hasTrades, out string? reason)
    {
        reason = value < 0m
            ? Reason($"{Kind} field 'k.{name}' is negative: {Quote(payload, token)}")
            : value == 0m && hasTrades
                ? Reason($"{Kind} field 'k.{name}' is not a positive exact decimal although the kline has trades: {Quote(payload, token)}")
                : null;
        return reason is not null;
    }

    private static bool Negative(ReadOnlySpan<byte> payload, FieldToken token, decimal value, char name, out string? reason)
    {
        reason = value < 0m ? Reason($"{Kind} field 'k.{name}' is negative: {Quote(payload, token)}") : null;
        return reason is not null;
    }

    private static bool NotDecimal(ReadOnlySpan<byte> payload, FieldToken token, char name, out string? reason)
    {
        reason = token.IsValid ? null : Reason($"{Kind} field 'k.{name}' is not an exact decimal string: {Quote(payload, token)}");
        return reason is not null;
    }

    private static string NotInteger(ReadOnlySpan<byte> payload, FieldToken token, string name) =>
        Reason($"{Kind} field '{name}' is not a 64-bit integer: {Quote(payload, token)}");

    /// <summary>What the reader found in the event.</summary>
    private struct Fields
    {
        public FieldToken EventType;
        public FieldToken Symbol;
        public FieldToken EventTime;
        public FieldToken Body;
        public long EventTimeValue;
        public BodyFields K;

        /// <summary>The first event field read twice, 0 for none.</summary>
        public byte Repeated;
    }

    /// <summary>What the reader found in "k".</summary>
    private struct BodyFields
    {
        public FieldToken Symbol;
        public FieldToken OpenTime;
        public FieldToken CloseTime;
        public FieldToken Interval;
        public FieldToken FirstId;
        public FieldToken LastId;
        public FieldToken TradeCount;
        public FieldToken IsClosed;
        public FieldToken Open;
        public FieldToken Close;
        public FieldToken High;
        public FieldToken Low;
        public FieldToken BaseVolume;
        public FieldToken QuoteVolume;
        public FieldToken TakerBuyBaseVolume;
        public FieldToken TakerBuyQuoteVolume;
        public long OpenTimeValue;
        public long CloseTimeValue;
        public string? IntervalValue;
        public long FirstIdValue;
        public long LastIdValue;
        public long TradeCountValue;
        public bool IsClosedValue;
        public decimal OpenValue;
        public decimal CloseValue;
        public decimal HighValue;
        public decimal LowValue;
        public decimal BaseVolumeValue;
        public decimal QuoteVolumeValue;
        public decimal TakerBuyBaseVolumeValue;
        public decimal TakerBuyQuoteVolumeValue;

        /// <summary>The first field of k read twice, 0 for none.</summary>
        public byte Repeated;
    }
}
