using System.Net;

namespace Streaming.Serialization;

/// <summary>
/// The registry refused a request, with Confluent's <see cref="ErrorCode"/> (e.g. 40401 subject not
/// found, 40403 schema not found, 42201 invalid schema, 50001 store error) and message.
/// </summary>
public sealed class SchemaRegistryException : Exception
{
    public const int SubjectNotFound = 40401;
    public const int VersionNotFound = 40402;
    public const int SchemaNotFound = 40403;
    public const int InvalidSchema = 42201;

    public SchemaRegistryException()
    {
    }

    public SchemaRegistryException(string message)
        : base(message)
    {
    }

    public SchemaRegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SchemaRegistryException(HttpStatusCode statusCode, int errorCode, string message)
        : base($"Schema Registry error {errorCode} (HTTP {(int)statusCode}): {message}")
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        RegistryMessage = message;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>Confluent's error_code; the HTTP status when the body had none.</summary>
    public int ErrorCode { get; }

    /// <summary>The registry's own message, without the code prefix.</summary>
    public string? RegistryMessage { get; }
}
