namespace TakerVolume.Parsing;

/// <summary>
/// Why a raw aggTrade or kline payload was rejected (<see cref="AggTradeParser"/>, <see cref="KlineParser"/>).
/// The parsers report the first error in a fixed order that does not depend on the order of the
/// payload's properties: <see cref="MalformedJson"/>, <see cref="WrongEventType"/>,
/// <see cref="SymbolMismatch"/>, then missing fields, then fields of the wrong form, then values out of range.
/// </summary>
internal enum PayloadError
{
    /// <summary>The payload parsed.</summary>
    None,

    /// <summary>
    /// Not one JSON object: invalid JSON, another top-level value, trailing data, or one of the
    /// parser's fields given twice (duplicates are rejected rather than resolved: "last one wins"
    /// would let two conflicting values pass unnoticed).
    /// </summary>
    MalformedJson,

    /// <summary>"e" is present but is not the expected event type ("aggTrade", "kline").</summary>
    WrongEventType,

    /// <summary>"s" (or the kline's "k.s") is present but differs (ordinal) from the symbol the record was published under.</summary>
    SymbolMismatch,

    /// <summary>
    /// A required field is absent or null, or (booleans "m" / "x", the kline's "k" object and "i"
    /// string, which have no more specific error) has another JSON type.
    /// </summary>
    MissingField,

    /// <summary>A price, quantity or volume is not a JSON string of exact decimal text that a <see cref="decimal"/> holds without rounding.</summary>
    InvalidDecimal,

    /// <summary>A price is zero or negative (kline prices: negative, or zero although the kline has trades).</summary>
    NonPositivePrice,

    /// <summary>An aggTrade quantity is zero or negative; a kline volume is negative.</summary>
    NonPositiveQuantity,

    /// <summary>An id or trade count is not a 64-bit integer, or is negative, or the last trade id is below the first.</summary>
    InvalidIds,

    /// <summary>A time is not a 64-bit integer or not positive, or a kline closes before it opens.</summary>
    InvalidTime,

    /// <summary>
    /// The kline is not final (x = false). Not produced by the parsers, which report x in
    /// <see cref="ParsedKline.IsClosed"/>; for callers that accept only closed klines.
    /// </summary>
    NotClosed,
}
