using System.Security.Cryptography.X509Certificates;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace Streaming.Serialization;

/// <summary>
/// The serializers and deserializers services use, in the wire form configuration chooses
/// (<see cref="SchemaRegistrySettings"/>): Confluent's frame through a registry when one is
/// configured, the registry-less form otherwise. Deserializers read both forms either way, so a
/// switch of producers from one form to the other needs no coordinated deployment of consumers.
/// </summary>
public sealed class ProtobufSerdes : IDisposable
{
    private readonly SchemaRegistrySettings _settings;
    private readonly SchemaRegistryClient? _registry;

    public ProtobufSerdes(IOptions<SchemaRegistrySettings> settings, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings.Value;
        if (_settings.Url is { } url)
        {
            _registry = new SchemaRegistryClient(new SchemaRegistryOptions
            {
                Url = url,
                BasicAuthUser = _settings.BasicAuthUser,
                BasicAuthPassword = _settings.BasicAuthPassword,
                TrustedCaCertificate = string.IsNullOrEmpty(_settings.CaCertificatePath) ? null : X509CertificateLoader.LoadCertificateFromFile(_settings.CaCertificatePath),
                ClientCertificate = string.IsNullOrEmpty(_settings.ClientCertificatePath)
                    ? null
                    : X509Certificate2.CreateFromPemFile(_settings.ClientCertificatePath, _settings.ClientKeyPath),
                MaxRetries = _settings.MaxRetries,
                RetryBaseDelay = _settings.RetryBaseDelay,
                AttemptTimeout = _settings.AttemptTimeout,
                TimeProvider = timeProvider,
            });
        }
    }

    /// <summary>True when records are written in Confluent's wire format through a registry.</summary>
    public bool UsesRegistry => _registry is not null;

    public IAsyncSerializer<T> Serializer<T>()
        where T : class, IMessage<T>, new()
    {
        var options = new ProtobufSerializerOptions
        {
            SubjectNameStrategy = _settings.SubjectNameStrategy,
            AutoRegisterSchemas = _settings.AutoRegisterSchemas,
            MaxPayloadBytes = _settings.MaxPayloadBytes,
        };
        return _registry is null ? new ProtobufSerializer<T>(options) : new ProtobufSerializer<T>(_registry, options);
    }

    public ProtobufDeserializer<T> Deserializer<T>()
        where T : class, IMessage<T>, new() =>
        new(new ProtobufDeserializerOptions { MaxPayloadBytes = _settings.MaxPayloadBytes, Registry = _registry });

    public void Dispose() => _registry?.Dispose();
}
