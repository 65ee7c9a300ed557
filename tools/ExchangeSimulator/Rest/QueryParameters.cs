using System.Globalization;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Market;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using static ExchangeSimulator.Rest.ErrorResponses;

namespace ExchangeSimulator.Rest;

/// <summary>Reading and checking the query parameters of the REST endpoints, answering Binance's 400 errors for bad ones.</summary>
internal static class QueryParameters
{
    internal static bool TryInterval(HttpContext context, IQueryCollection query, out KlineInterval interval, out Task error)
    {
        interval = default;
        error = Task.CompletedTask;
        var value = query["interval"].ToString();
        if (value.Length == 0)
        {
            error = BadRequestAsync(context, BinanceErrors.MandatoryParameter, BinanceErrors.MandatoryParameterMessage("interval"));
            return false;
        }

        if (!RestRules.TryParseInterval(value, out interval))
        {
            error = BadRequestAsync(context, BinanceErrors.BadInterval, "Invalid interval.");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Not an unsigned integer: <c>-1100</c> with Binance's printed range; an integer outside [1, max]:
    /// <c>-1130</c> (the simulator's choice: Binance caps some limits silently and is not documented for others).
    /// </summary>
    internal static bool TryLimit(HttpContext context, IQueryCollection query, int defaultLimit, int maxLimit, out int limit, out Task error)
    {
        limit = defaultLimit;
        if (!TryUnsigned(context, query, "limit", out var value, out error))
        {
            return false;
        }

        if (value is null)
        {
            return true;
        }

        if (value < 1 || value > maxLimit)
        {
            error = BadRequestAsync(context, BinanceErrors.InvalidParameter, BinanceErrors.InvalidParameterMessage("limit"));
            return false;
        }

        limit = (int)value.Value;
        return true;
    }

    internal static int ParseLimitOrDefault(IQueryCollection query, int defaultLimit, int maxLimit) =>
        TryParseUnsigned(query["limit"], out var value) && value is >= 1 && value <= maxLimit ? (int)value : defaultLimit;

    /// <summary>An optional unsigned integer parameter; absent or empty is null, anything else not matching <c>^[0-9]{1,20}$</c> (or beyond a long) is <c>-1100</c>.</summary>
    internal static bool TryUnsigned(HttpContext context, IQueryCollection query, string name, out long? value, out Task error)
    {
        value = null;
        error = Task.CompletedTask;
        var text = query[name];
        if (StringValues.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!TryParseUnsigned(text, out var parsed))
        {
            error = BadRequestAsync(context, BinanceErrors.IllegalChars, BinanceErrors.IllegalCharsMessage(name, BinanceErrors.UnsignedIntegerRange));
            return false;
        }

        value = parsed;
        return true;
    }

    internal static bool TryParseUnsigned(StringValues text, out long value)
    {
        value = 0;
        var s = text.ToString();
        return s.Length is >= 1 and <= 20
            && s.All(char.IsAsciiDigit)
            && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    // Times far beyond any simulated market are clamped so that the conversion to µs cannot overflow.
    internal const long MaxMilliseconds = (long.MaxValue / 1000) - 1;

    internal static long? StartUs(long? time, BinanceTimeUnit unit) => time is not { } t
        ? null
        : unit == BinanceTimeUnit.Microsecond ? t : Math.Min(t, MaxMilliseconds) * 1000;

    /// <summary>An inclusive end in ms covers every µs of that millisecond.</summary>
    internal static long? EndUs(long? time, BinanceTimeUnit unit) => time is not { } t
        ? null
        : unit == BinanceTimeUnit.Microsecond ? t : (Math.Min(t, MaxMilliseconds) * 1000) + 999;
}
