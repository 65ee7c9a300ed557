using Google.Protobuf.Reflection;

namespace Streaming.Serialization.WireFormat;

/// <summary>
/// The path of a message type inside its .proto file, as Confluent's frame carries it: the index
/// among the file's top-level messages, then the index among each enclosing message's nested ones.
/// </summary>
internal static class MessageIndexes
{
    public static int[] Of(MessageDescriptor descriptor)
    {
        var path = new List<int>();
        for (var current = descriptor; current is not null; current = current.ContainingType)
        {
            path.Add(current.Index);
        }

        path.Reverse();
        return [.. path];
    }

    /// <summary>The full name of the message at <paramref name="indexes"/> in <paramref name="file"/>, or null when it points past its messages.</summary>
    public static string? Resolve(FileDescriptorProto file, ReadOnlySpan<int> indexes)
    {
        if (indexes.IsEmpty || indexes[0] < 0 || indexes[0] >= file.MessageType.Count)
        {
            return null;
        }

        var message = file.MessageType[indexes[0]];
        var name = string.IsNullOrEmpty(file.Package) ? message.Name : file.Package + "." + message.Name;
        foreach (var index in indexes[1..])
        {
            if (index < 0 || index >= message.NestedType.Count)
            {
                return null;
            }

            message = message.NestedType[index];
            name += "." + message.Name;
        }

        return name;
    }

    /// <summary>Whether <paramref name="indexes"/> point at a message of <paramref name="file"/> at all.</summary>
    public static bool Exists(FileDescriptor file, ReadOnlySpan<int> indexes)
    {
        if (indexes.IsEmpty || indexes[0] < 0 || indexes[0] >= file.MessageTypes.Count)
        {
            return false;
        }

        var message = file.MessageTypes[indexes[0]];
        foreach (var index in indexes[1..])
        {
            if (index < 0 || index >= message.NestedTypes.Count)
            {
                return false;
            }

            message = message.NestedTypes[index];
        }

        return true;
    }
}
