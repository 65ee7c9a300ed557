namespace ExchangeSimulator.Rest;

/// <summary>
/// Binance error codes the simulator answers with, as listed in Binance's Spot error-code reference
/// (binance-spot-api-docs <c>errors.md</c>; the USD-M futures "Error Codes" page uses the same numbers and texts).
/// </summary>
internal static class BinanceErrors
{
    /// <summary><c>-1003 TOO_MANY_REQUESTS</c>: "Too much request weight used; current limit is %s request weight per %s. ..." (429) and "Way too much request weight used; IP banned until %s. ..." (418).</summary>
    public const int TooManyRequests = -1003;

    /// <summary><c>-1100 ILLEGAL_CHARS</c>: "Illegal characters found in parameter '%s'; legal range is '%s'."</summary>
    public const int IllegalChars = -1100;

    /// <summary><c>-1102 MANDATORY_PARAM_EMPTY_OR_MALFORMED</c>: "Mandatory parameter '%s' was not sent, was empty/null, or malformed."</summary>
    public const int MandatoryParameter = -1102;

    /// <summary><c>-1120 BAD_INTERVAL</c>: "Invalid interval."</summary>
    public const int BadInterval = -1120;

    /// <summary><c>-1121 BAD_SYMBOL</c>: "Invalid symbol."</summary>
    public const int BadSymbol = -1121;

    /// <summary><c>-1130 INVALID_PARAMETER</c>: "Data sent for parameter '%s' is not valid."</summary>
    public const int InvalidParameter = -1130;

    /// <summary>Legal range Binance prints for unsigned integer parameters (<c>limit</c>, <c>fromId</c>, times).</summary>
    public const string UnsignedIntegerRange = "^[0-9]{1,20}$";

    /// <summary>Legal range Binance prints for <c>symbol</c>.</summary>
    public const string SymbolRange = "^[A-Z0-9-_.]{1,20}$";

    public static string IllegalCharsMessage(string parameter, string range) =>
        $"Illegal characters found in parameter '{parameter}'; legal range is '{range}'.";

    public static string MandatoryParameterMessage(string parameter) =>
        $"Mandatory parameter '{parameter}' was not sent, was empty/null, or malformed.";

    public static string InvalidParameterMessage(string parameter) => $"Data sent for parameter '{parameter}' is not valid.";
}
