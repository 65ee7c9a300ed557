using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Streaming.Serialization.Tests.Registry;

/// <summary>
/// A Schema Registry on a real Kestrel server (127.0.0.1, free port) that follows Confluent's REST
/// API documentation for the endpoints the clients use, with its error bodies
/// (<c>{"error_code":40401,"message":"Subject 'x' not found."}</c>) and content type. Fault
/// injection: <see cref="FailNext"/> answers the next requests with 500/50001, <see cref="Latency"/>
/// delays every answer. Stores schemas as sent; it cannot render a descriptor as .proto text, so
/// both the default and <c>format=serialized</c> return what was registered.
/// </summary>
internal sealed class SchemaRegistryStub : IAsyncDisposable
{
    public const string ContentType = "application/vnd.schemaregistry.v1+json";

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private readonly WebApplication _app;
    private readonly SchemaStore _store = new();
    private int _failuresLeft;
    private int _failureStatus = 500;

    private SchemaRegistryStub(WebApplication app)
    {
        _app = app;
    }

    public Uri Url => new(_app.Urls.Single() + "/");

    /// <summary>Every request seen, failed ones included: method, path and query, Authorization header.</summary>
    public ConcurrentQueue<(string Method, string Path, string? Authorization)> Requests { get; } = new();

    public TimeSpan Latency { get; set; }

    public void FailNext(int count, int status = 500)
    {
        _failureStatus = status;
        Volatile.Write(ref _failuresLeft, count);
    }

    /// <summary>
    /// Starts the stub on 127.0.0.1, over HTTPS with <paramref name="serverCertificate"/> when given;
    /// with <paramref name="acceptClient"/>, TLS also requires a client certificate it accepts.
    /// </summary>
    public static async Task<SchemaRegistryStub> StartAsync(
        CancellationToken cancellationToken,
        X509Certificate2? serverCertificate = null,
        Func<X509Certificate2, bool>? acceptClient = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (serverCertificate is not null)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = serverCertificate;
                    if (acceptClient is not null)
                    {
                        https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                        https.ClientCertificateValidation = (certificate, _, _) => acceptClient(certificate);
                    }
                });
            }
        }));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var stub = new SchemaRegistryStub(app);
        app.Use(stub.FaultsAsync);
        stub.MapEndpoints(app);
        await app.StartAsync(cancellationToken);
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task FaultsAsync(HttpContext context, RequestDelegate next)
    {
        Requests.Enqueue((context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.FirstOrDefault()));
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, context.RequestAborted);
        }

        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            await Error(_failureStatus, _failureStatus * 100 + 1, "Injected failure").ExecuteAsync(context);
            return;
        }

        Interlocked.Exchange(ref _failuresLeft, 0);
        await next(context);
    }

    private void MapEndpoints(WebApplication app)
    {
        // Subjects may contain '/' (an import path such as binance/common/v1/common.proto), which
        // clients send escaped as %2F; ASP.NET Core routing leaves %2F undecoded in route values.
        var subjects = app.MapGroup("/subjects").AddEndpointFilter((context, next) =>
        {
            if (context.Arguments.Count > 0 && context.Arguments[0] is string subject)
            {
                context.Arguments[0] = Uri.UnescapeDataString(subject);
            }

            return next(context);
        });
        subjects.MapGet("/", () => Json(_store.Subjects()));
        subjects.MapGet("/{subject}/versions", (string subject) =>
            _store.Versions(subject) is { } versions ? Json(versions.Select(v => v.Version)) : SubjectNotFound(subject));
        subjects.MapGet("/{subject}/versions/{version}", (string subject, string version) => GetVersion(subject, version));
        subjects.MapPost("/{subject}/versions", async (string subject, HttpRequest request) =>
        {
            var body = await ReadAsync(request);
            if (body is null)
            {
                return Error(422, 42201, "Invalid schema: unreadable request body");
            }

            var (id, errorCode, error) = _store.Register(subject, body.SchemaType ?? "AVRO", body.Schema ?? "", body.References ?? []);
            return errorCode == 0 ? Json(new { id }) : Error(422, errorCode, error!);
        });
        subjects.MapPost("/{subject}", async (string subject, HttpRequest request) =>
        {
            var body = await ReadAsync(request);
            if (_store.Versions(subject) is null)
            {
                return SubjectNotFound(subject);
            }

            return body is not null && _store.LookUp(subject, body.SchemaType ?? "AVRO", body.Schema ?? "", body.References ?? []) is { } found
                ? Json(ToBody(found))
                : Error(404, 40403, "Schema not found");
        });
        app.MapGet("/schemas/ids/{id:int}", (int id) => _store.ById(id) is { } schema
            ? Json(new { schemaType = schema.SchemaType, schema = schema.Schema, references = schema.References.Select(ToBody) })
            : Error(404, 40403, "Schema not found"));
    }

    private IResult GetVersion(string subject, string version)
    {
        if (_store.Versions(subject) is not { } versions)
        {
            return SubjectNotFound(subject);
        }

        var found = version == "latest" ? versions[^1] : int.TryParse(version, out var number) ? versions.FirstOrDefault(v => v.Version == number) : null;
        return found is null ? Error(404, 40402, "Version not found.") : Json(ToBody(found));
    }

    private static object ToBody(SubjectVersion v) => new
    {
        subject = v.Subject,
        version = v.Version,
        id = v.Schema.Id,
        schemaType = v.Schema.SchemaType,
        schema = v.Schema.Schema,
        references = v.Schema.References.Select(ToBody),
    };

    private static object ToBody(StoredReference r) => new { name = r.Name, subject = r.Subject, version = r.Version };

    private static IResult SubjectNotFound(string subject) => Error(404, 40401, $"Subject '{subject}' not found.");

    private static IResult Error(int status, int errorCode, string message) =>
        Results.Json(new { error_code = errorCode, message }, contentType: ContentType, statusCode: status);

    private static IResult Json(object body) => Results.Json(body, contentType: ContentType);

    private static async Task<RequestBody?> ReadAsync(HttpRequest request)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<RequestBody>(request.Body, WebJson, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record RequestBody(
        [property: JsonPropertyName("schemaType")] string? SchemaType,
        [property: JsonPropertyName("schema")] string? Schema,
        [property: JsonPropertyName("references")] List<StoredReference>? References);
}
