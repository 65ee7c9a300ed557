using Streaming.Testing;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Streaming.Contracts.Tests;

public sealed class RoundTripTests
{
    public static TheoryData<string> MessageNames => [.. ContractCatalog.Messages.Select(message => message.FullName)];

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void ParseFrom_BytesOfMessageWithEveryFieldSet_ReturnsEqualMessage(string fullName)
    {
        var descriptor = ContractCatalog.Get(fullName);
        var random = new RandomMessages(seed: 20_261_121);

        for (var i = 0; i < 100; i++)
        {
            var original = random.Create(descriptor);
            var bytes = original.ToByteArray();

            var parsed = descriptor.Parser.ParseFrom(bytes);

            Assert.Equal(original, parsed);
            Assert.Equal(bytes, parsed.ToByteArray());
        }
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Create_AnyMessage_SetsEveryField(string fullName)
    {
        var descriptor = ContractCatalog.Get(fullName);

        var message = new RandomMessages(seed: 7).Create(descriptor);

        // Proves the round trip above covers every field: none is left at its default.
        var unset = descriptor.Fields.InFieldNumberOrder().Where(field => !IsSet(field, message)).Select(field => field.Name);
        Assert.Empty(unset);
    }

    private static bool IsSet(FieldDescriptor field, IMessage message) => field.IsRepeated
        ? ((System.Collections.IList)field.Accessor.GetValue(message)).Count > 0
        : field.HasPresence ? field.Accessor.HasValue(message) : !Equals(field.Accessor.GetValue(message), DefaultOf(field));

    private static object? DefaultOf(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => "",
        FieldType.Bytes => ByteString.Empty,
        FieldType.Bool => false,
        FieldType.Int64 => 0L,
        FieldType.Int32 => 0,
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, 0),
        _ => null,
    };
}
