using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ExchangeSimulator.Rest;

/// <summary>Binance's error body, <c>{"code":-1121,"msg":"Invalid symbol."}</c>, with a status.</summary>
internal static class ErrorResponses
{
    internal static Task BadRequestAsync(HttpContext context, int code, string message) =>
        ErrorAsync(context, StatusCodes.Status400BadRequest, code, message);

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
