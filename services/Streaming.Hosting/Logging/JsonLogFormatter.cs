using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Streaming.Hosting.Logging;

/// <summary>
/// Writes each log entry as one line of JSON:
/// <c>{"timestamp":"2025-01-01T00:00:00.0000000Z","level":"Information","service":"orderbook",
/// "category":"...","eventId":200,"eventName":"...","message":"...","messageTemplate":"...",
/// "state":{...},"scopes":[...],"exception":"..."}</c>.
/// The built-in JSON formatter has no way to stamp every line with the service name, hence
/// this one; it also always writes UTC timestamps and scopes.
/// </summary>
internal sealed class JsonLogFormatter(IOptionsMonitor<JsonLogFormatterOptions> options, TimeProvider timeProvider)
    : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "streaming-json";

    private const string OriginalFormatKey = "{OriginalFormat}";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Log lines are read by people and log shippers, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", timeProvider.GetUtcNow().UtcDateTime);
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("service", options.CurrentValue.ServiceName);
            json.WriteString("category", logEntry.Category);
            json.WriteNumber("eventId", logEntry.EventId.Id);
            if (logEntry.EventId.Name is { } eventName)
            {
                json.WriteString("eventName", eventName);
            }

            json.WriteString("message", message);
            WriteState(json, logEntry.State as IReadOnlyList<KeyValuePair<string, object?>>);
            WriteScopes(json, scopeProvider);
            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception", exception.ToString());
            }

            json.WriteEndObject();
        }

        textWriter.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void WriteState(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, object?>>? state)
    {
        if (state is null)
        {
            return;
        }

        var template = state.FirstOrDefault(p => p.Key == OriginalFormatKey).Value as string;
        if (template is not null)
        {
            json.WriteString("messageTemplate", template);
        }

        if (state.Any(p => p.Key != OriginalFormatKey))
        {
            json.WritePropertyName("state");
            WriteProperties(json, state);
        }
    }

    private static void WriteScopes(Utf8JsonWriter json, IExternalScopeProvider? scopeProvider)
    {
        if (scopeProvider is null)
        {
            return;
        }

        json.WriteStartArray("scopes");
        scopeProvider.ForEachScope(
            static (scope, writer) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> properties)
                {
                    WriteProperties(writer, properties);
                }
                else
                {
                    writer.WriteStringValue(Convert.ToString(scope, CultureInfo.InvariantCulture));
                }
            },
            json);
        json.WriteEndArray();
    }

    private static void WriteProperties(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, object?>> properties)
    {
        json.WriteStartObject();
        foreach (var (key, value) in properties)
        {
            if (key != OriginalFormatKey)
            {
                json.WritePropertyName(key);
                WriteValue(json, value);
            }
        }

        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int or long or short or byte or sbyte or ushort or uint:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case ulong u: json.WriteNumberValue(u); break;
            case decimal m: json.WriteNumberValue(m); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
            case DateTime or DateTimeOffset:
                json.WriteStringValue(((IFormattable)value).ToString("O", CultureInfo.InvariantCulture)); break;
            default: json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }
}
