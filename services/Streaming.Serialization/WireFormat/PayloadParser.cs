using Google.Protobuf;
using Streaming.Serialization.Schemas;

namespace Streaming.Serialization.WireFormat;

/// <summary>Parses a protobuf payload, turning every parser failure into <see cref="SerdeErrorKind.InvalidPayload"/>.</summary>
internal static class PayloadParser
{
    public static T Parse<T>(ReadOnlySpan<byte> payload)
        where T : IMessage<T>, new()
    {
        try
        {
            return ProtobufType<T>.Parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ProtobufSerdeException(SerdeErrorKind.InvalidPayload, $"{ProtobufType<T>.FullName} payload of {payload.Length} bytes does not parse: {e.Message}", e);
        }
    }
}
