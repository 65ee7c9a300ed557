using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Streaming.Serialization.WireFormat;

namespace Streaming.Serialization.Schemas;

/// <summary>What the serializers need to know about a generated message type, computed once per type.</summary>
internal static class ProtobufType<T>
    where T : IMessage<T>, new()
{
    public static readonly MessageDescriptor Descriptor = new T().Descriptor;

    public static readonly MessageParser<T> Parser = (MessageParser<T>)Descriptor.Parser;

    public static readonly string FullName = Descriptor.FullName;

    /// <summary>The full name as UTF-8, to compare with the <c>message-type</c> header without decoding it.</summary>
    public static readonly byte[] FullNameUtf8 = Encoding.UTF8.GetBytes(FullName);

    public static readonly int[] Indexes = MessageIndexes.Of(Descriptor);

    /// <summary>Lower-case hex SHA-256 of the FileDescriptorProto bytes protoc embedded in the generated code.</summary>
    public static readonly string Fingerprint = Convert.ToHexStringLower(SHA256.HashData(Descriptor.File.SerializedData.Span));

    public static readonly byte[] FingerprintUtf8 = Encoding.UTF8.GetBytes(Fingerprint);
}
