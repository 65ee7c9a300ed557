using Google.Protobuf;
using Google.Protobuf.Reflection;
using Streaming.Contracts;

namespace Streaming.Testing;

/// <summary>Builds messages with every field set to a random non-default value, through descriptors.</summary>
public sealed class RandomMessages(int seed)
{
    private readonly Random _random = new(seed);

    public IMessage Create(MessageDescriptor descriptor)
    {
        var message = (IMessage)Activator.CreateInstance(descriptor.ClrType)!;
        foreach (var field in descriptor.Fields.InFieldNumberOrder())
        {
            if (field.IsRepeated)
            {
                var list = (System.Collections.IList)field.Accessor.GetValue(message);
                for (var i = _random.Next(1, 4); i > 0; i--)
                {
                    list.Add(NextValue(field));
                }
            }
            else
            {
                field.Accessor.SetValue(message, NextValue(field));
            }
        }

        return message;
    }

    private object NextValue(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => NextDecimalText(),
        FieldType.Bytes => ByteString.CopyFrom(NextBytes()),
        FieldType.Bool => true,
        FieldType.Int64 => _random.NextInt64(1, long.MaxValue) * (_random.Next(2) == 0 ? 1 : -1),
        FieldType.Int32 => _random.Next(1, int.MaxValue),
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, field.EnumType.Values[_random.Next(1, field.EnumType.Values.Count)].Number),
        FieldType.Message => Create(field.MessageType),
        _ => throw new NotSupportedException($"Field {field.FullName} has type {field.FieldType}: teach RandomMessages to fill it."),
    };

    // Strings are mostly decimals in the contracts; any non-empty text round-trips the same way.
    private string NextDecimalText() =>
        ExactDecimal.Format(new decimal(_random.Next(), _random.Next(), 0, _random.Next(2) == 0, (byte)_random.Next(0, 17)));

    private byte[] NextBytes()
    {
        var bytes = new byte[_random.Next(1, 64)];
        _random.NextBytes(bytes);
        return bytes;
    }
}
