using System.Text;
using System.Text.Json;
using ExchangeSimulator.Market;

namespace ExchangeSimulator.WebSockets;

/// <summary>The live-subscription methods of Binance's market streams.</summary>
public enum StreamMethod
{
    Subscribe = 1,
    Unsubscribe,
    ListSubscriptions,
    SetProperty,
    GetProperty,
}

/// <summary>
/// One parsed control message (<c>{"method":…,"params":[…],"id":…}</c>), or the error Binance answers it
/// with. The request id is kept as the JSON text the client sent (a number, a string or <c>null</c>) so the
/// reply echoes it exactly. Error codes and texts are those of Binance's "Error Messages" table
/// (<c>shared/BINANCE.md</c>, [WSS]): 0 unknown property, 1 value not a boolean, 2 invalid request, 3 invalid JSON.
/// </summary>
public sealed record StreamRequest
{
    private const string Methods = "SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY";

    public StreamMethod Method { get; private init; }

    /// <summary>The id as sent, JSON-encoded (<c>1</c>, <c>"abc"</c>, <c>null</c>).</summary>
    public string IdJson { get; private init; } = "null";

    /// <summary>Stream names of SUBSCRIBE and UNSUBSCRIBE.</summary>
    public IReadOnlyList<string> Streams { get; private init; } = [];

    /// <summary>The value of <c>SET_PROPERTY ["combined", value]</c>.</summary>
    public bool PropertyValue { get; private init; }

    /// <summary>Set when the message is not a valid request: the reply is this error.</summary>
    public StreamRequestError? Error { get; private init; }

    /// <summary>Parses one text message from a client.</summary>
    /// <param name="json">The message.</param>
    /// <param name="flavor">Spot also accepts string ids (at most 36 alphanumerics); USD-M futures wants an unsigned integer.</param>
    public static StreamRequest Parse(ReadOnlySpan<byte> json, MarketFlavor flavor)
    {
        try
        {
            return ParseCore(json, flavor);
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            return Failed("null", 3, $"Invalid JSON: expected value at line {line} column {column}");
        }
    }

    private static StreamRequest ParseCore(ReadOnlySpan<byte> json, MarketFlavor flavor)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return Failed("null", 2, "Invalid request: expected an object with method, params and id");
        }

        string? method = null;
        long methodColumn = 0;
        string? idJson = null;
        string? idError = null;
        List<JsonElement>? parameters = null;
        var parametersNotArray = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "method":
                    methodColumn = reader.TokenStartIndex + 1;
                    method = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    if (method is null)
                    {
                        reader.Skip();
                        method = string.Empty;
                    }

                    break;
                case "id":
                    (idJson, idError) = ReadId(ref reader, flavor);
                    break;
                case "params":
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        using var document = JsonDocument.ParseValue(ref reader);
                        parameters = [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
                    }
                    else
                    {
                        parametersNotArray = reader.TokenType != JsonTokenType.Null;
                        reader.Skip();
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            // Trailing data or an unterminated object: let the JSON reader name the position.
            while (reader.Read())
            {
            }
        }

        var id = idJson ?? "null";
        if (idError is not null)
        {
            return Failed("null", 2, idError);
        }

        if (method is null)
        {
            return Failed(id, 2, $"Invalid request: missing field `method` at line 1 column {json.Length}");
        }

        if (idJson is null && flavor == MarketFlavor.UsdmFutures)
        {
            return Failed("null", 2, "Invalid request: request ID must be an unsigned integer");
        }

        var parsedMethod = method switch
        {
            "SUBSCRIBE" => StreamMethod.Subscribe,
            "UNSUBSCRIBE" => StreamMethod.Unsubscribe,
            "LIST_SUBSCRIPTIONS" => StreamMethod.ListSubscriptions,
            "SET_PROPERTY" => StreamMethod.SetProperty,
            "GET_PROPERTY" => StreamMethod.GetProperty,
            _ => (StreamMethod)0,
        };
        if (parsedMethod == 0)
        {
            return Failed(id, 2, $"Invalid request: unknown variant {method}, expected one of {Methods} at line 1 column {methodColumn}");
        }

        if (parametersNotArray)
        {
            return Failed(id, 2, "Invalid request: params must be an array");
        }

        parameters ??= [];
        switch (parsedMethod)
        {
            case StreamMethod.Subscribe or StreamMethod.Unsubscribe:
                var streams = new List<string>(parameters.Count);
                foreach (var parameter in parameters)
                {
                    if (parameter.ValueKind != JsonValueKind.String)
                    {
                        return Failed(id, 2, "Invalid request: stream names must be strings");
                    }

                    streams.Add(parameter.GetString()!);
                }

                return new StreamRequest { Method = parsedMethod, IdJson = id, Streams = streams };
            case StreamMethod.SetProperty:
                if (parameters.Count == 0 || parameters[0].ValueKind != JsonValueKind.String)
                {
                    return Failed(id, 2, "Invalid request: property name must be a string");
                }

                if (parameters.Count > 2)
                {
                    return Failed(id, 2, "Invalid request: too many parameters");
                }

                if (parameters[0].GetString() != "combined")
                {
                    return Failed(id, 0, "Unknown property");
                }

                if (parameters.Count < 2 || parameters[1].ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return Failed(id, 1, "Invalid value type: expected Boolean");
                }

                return new StreamRequest { Method = parsedMethod, IdJson = id, PropertyValue = parameters[1].GetBoolean() };
            case StreamMethod.GetProperty:
                if (parameters.Count == 0 || parameters[0].ValueKind != JsonValueKind.String)
                {
                    return Failed(id, 2, "Invalid request: property name must be a string");
                }

                if (parameters.Count > 1)
                {
                    return Failed(id, 2, "Invalid request: too many parameters");
                }

                return parameters[0].GetString() == "combined"
                    ? new StreamRequest { Method = parsedMethod, IdJson = id }
                    : Failed(id, 0, "Unknown property");
            default:
                return new StreamRequest { Method = parsedMethod, IdJson = id };
        }
    }

    private static (string? Json, string? Error) ReadId(ref Utf8JsonReader reader, MarketFlavor flavor)
    {
        const string NotUnsigned = "Invalid request: request ID must be an unsigned integer";
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return flavor == MarketFlavor.Spot ? ("null", null) : (null, NotUnsigned);
            case JsonTokenType.Number when flavor == MarketFlavor.Spot && reader.TryGetInt64(out var signed):
                return (signed.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
            case JsonTokenType.Number when reader.TryGetUInt64(out var unsigned):
                return (unsigned.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
            case JsonTokenType.String when flavor == MarketFlavor.Spot:
                var text = reader.GetString()!;
                if (text.Length is 0 or > 36 || !text.All(char.IsAsciiLetterOrDigit))
                {
                    return (null, "Invalid request: request ID must be an integer, an alphanumeric string of at most 36 characters, or null");
                }

                return (JsonSerializer.Serialize(text), null);
            default:
                reader.Skip();
                return (null, NotUnsigned);
        }
    }

    private static StreamRequest Failed(string idJson, int code, string message) =>
        new() { IdJson = idJson, Error = new StreamRequestError(code, message) };
}

/// <summary>Binance's error reply body: <c>{"error":{"code":…,"msg":…},"id":…}</c>.</summary>
public sealed record StreamRequestError(int Code, string Message);

/// <summary>Replies to control messages, byte-compatible with Binance's.</summary>
public static class StreamReplies
{
    public static byte[] Result(string idJson) => Encoding.UTF8.GetBytes($"{{\"result\":null,\"id\":{idJson}}}");

    public static byte[] Result(bool value, string idJson) => Encoding.UTF8.GetBytes($"{{\"result\":{(value ? "true" : "false")},\"id\":{idJson}}}");

    public static byte[] Result(IEnumerable<string> streams, string idJson) =>
        Encoding.UTF8.GetBytes($"{{\"result\":{JsonSerializer.Serialize(streams)},\"id\":{idJson}}}");

    public static byte[] Error(StreamRequestError error, string idJson)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Encoding.UTF8.GetBytes($"{{\"error\":{{\"code\":{error.Code},\"msg\":{JsonSerializer.Serialize(error.Message)}}},\"id\":{idJson}}}");
    }
}
