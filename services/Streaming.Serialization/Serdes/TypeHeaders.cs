using System.Text;
using Confluent.Kafka;

namespace Streaming.Serialization.Serdes;

/// <summary>
/// Headers of the registry-less form: the payload is plain protobuf and the headers name its type.
/// A key uses the same names prefixed with <c>key-</c>, so key and value of one record never collide.
/// </summary>
internal sealed class TypeHeaders
{
    public const string ProtobufContentType = "application/x-protobuf";

    private static readonly byte[] ProtobufContentTypeUtf8 = Encoding.UTF8.GetBytes(ProtobufContentType);

    public static readonly TypeHeaders Value = new("");

    public static readonly TypeHeaders Key = new("key-");

    private TypeHeaders(string prefix)
    {
        ContentType = prefix + "content-type";
        MessageType = prefix + "message-type";
        SchemaFingerprint = prefix + "schema-fingerprint";
    }

    public string ContentType { get; }

    public string MessageType { get; }

    public string SchemaFingerprint { get; }

    public static TypeHeaders For(MessageComponentType component) => component == MessageComponentType.Key ? Key : Value;

    public void Write(Headers headers, byte[] messageType, byte[] fingerprint)
    {
        headers.Remove(ContentType);
        headers.Remove(MessageType);
        headers.Remove(SchemaFingerprint);
        headers.Add(ContentType, ProtobufContentTypeUtf8);
        headers.Add(MessageType, messageType);
        headers.Add(SchemaFingerprint, fingerprint);
    }
}
