using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ExchangeSimulator.Rest;

/// <summary>Binance's error body, <c>{"code":-1121,"msg":"Invalid symbol."}</c>, with a status.</summary>
internal static class ErrorResponses
{
    internal static Task BadRequestAsync(HttpContext context, int code, string message) =>
        ErrorAsync(context, StatusCodes.Status400BadRequest, code, message);

    /// <summary>429 with <c>Retry-After</c> and Binance's -1003 text for a used-up request-weight budget.</summary>
    internal static Task RateLimitedAsync(HttpContext context, int weightPerMinute, long retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ErrorAsync(
            context,
            StatusCodes.Status429TooManyRequests,
            BinanceErrors.TooManyRequests,
            $"Too much request weight used; current limit is {weightPerMinute} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.");
    }

    /// <summary>418 with <c>Retry-After</c> and Binance's -1003 text for a banned IP.</summary>
    internal static Task BannedAsync(HttpContext context, DateTimeOffset bannedUntil, long retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ErrorAsync(
            context,
            StatusCodes.Status418ImATeapot,
            BinanceErrors.TooManyRequests,
            $"Way too much request weight used; IP banned until {bannedUntil.ToUnixTimeMilliseconds()}. Please use WebSocket Streams for live updates to avoid bans.");
    }

    internal static Task ErrorAsync(HttpContext context, int status, int code, string message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("code"u8, code);
            json.WriteString("msg"u8, message);
            json.WriteEndObject();
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        return context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }
}
