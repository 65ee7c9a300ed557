using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Polly;
using Streaming.Serialization.Registry;

namespace Streaming.Serialization;

/// <summary>
/// Confluent Schema Registry REST client for Protobuf schemas. Ids are cached both ways (schema to id
/// per subject, id to schema), so steady-state serialization makes no calls; transient failures are
/// retried per <see cref="SchemaRegistryOptions"/>, and refusals surface as <see cref="SchemaRegistryException"/>.
/// </summary>
public sealed class SchemaRegistryClient : ISchemaRegistryClient, IDisposable
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ConcurrentDictionary<(string Subject, ProtobufSchemaKey Schema), int> _registered = new();
    private readonly ConcurrentDictionary<(string Subject, ProtobufSchemaKey Schema), RegisteredSchema> _lookedUp = new();
    private readonly ConcurrentDictionary<int, RegisteredSchema> _byId = new();

    public SchemaRegistryClient(SchemaRegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = RegistryHttp.CreateClient(options);
        _pipeline = RegistryHttp.CreatePipeline(options);
    }

    public async Task<int> RegisterAsync(string subject, ProtobufSchema schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var key = (subject, new ProtobufSchemaKey(schema));
        if (_registered.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var body = await SendAsync(HttpMethod.Post, $"subjects/{Escape(subject)}/versions", schema, cancellationToken);
        _registered[key] = body.Id;
        return body.Id;
    }

    public async Task<RegisteredSchema> LookUpAsync(string subject, ProtobufSchema schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var key = (subject, new ProtobufSchemaKey(schema));
        if (_lookedUp.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var body = await SendAsync(HttpMethod.Post, $"subjects/{Escape(subject)}", schema, cancellationToken);
        var found = new RegisteredSchema(body.Id, body.Subject ?? subject, body.Version, schema);
        _lookedUp[key] = found;
        _registered[key] = found.Id;
        _byId.TryAdd(found.Id, found);
        return found;
    }

    public async Task<RegisteredSchema> GetByIdAsync(int id, CancellationToken cancellationToken)
    {
        if (_byId.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var path = "schemas/ids/" + id.ToString(CultureInfo.InvariantCulture) + "?format=serialized";
        var body = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        var references = body.References?.Select(r => new SchemaReference(r.Name, r.Subject, r.Version)).ToList() ?? [];
        var schema = new RegisteredSchema(id, null, null, new ProtobufSchema(body.Schema ?? "", references));
        _byId[id] = schema;
        return schema;
    }

    public void Dispose() => _http.Dispose();

    private static string Escape(string subject) => Uri.EscapeDataString(subject);

    private async Task<SchemaResponseBody> SendAsync(HttpMethod method, string path, ProtobufSchema? schema, CancellationToken cancellationToken)
    {
        using var response = await _pipeline.ExecuteAsync(
            async token =>
            {
                // A fresh request per attempt: HttpRequestMessage cannot be sent twice.
                using var request = new HttpRequestMessage(method, path);
                if (schema is not null)
                {
                    request.Content = JsonContent.Create(ToBody(schema), RegistryJsonContext.Default.SchemaRequestBody, new(RegistryHttp.MediaType));
                }

                return await _http.SendAsync(request, token);
            },
            cancellationToken);

        if (!response.IsSuccessStatusCode)
        {
            throw await ToExceptionAsync(response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync(RegistryJsonContext.Default.SchemaResponseBody, cancellationToken)
            ?? throw new SchemaRegistryException(response.StatusCode, (int)response.StatusCode, $"Empty response to {method} {path}.");
    }

    private static SchemaRequestBody ToBody(ProtobufSchema schema) =>
        new(ProtobufSchema.SchemaType, schema.Schema, schema.References.Select(r => new ReferenceBody(r.Name, r.Subject, r.Version)).ToList());

    private static async Task<SchemaRegistryException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            var error = JsonSerializer.Deserialize(text, RegistryJsonContext.Default.ErrorBody);
            if (error is not null && error.ErrorCode != 0)
            {
                return new SchemaRegistryException(response.StatusCode, error.ErrorCode, error.Message ?? "");
            }
        }
        catch (JsonException)
        {
            // Not Confluent's error body (a proxy's page, say): the status code and text say enough.
        }

        return new SchemaRegistryException(response.StatusCode, (int)response.StatusCode, text);
    }
}
