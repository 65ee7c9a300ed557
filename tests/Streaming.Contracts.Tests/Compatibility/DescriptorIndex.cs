using Google.Protobuf.Reflection;

namespace Streaming.Contracts.Tests.Compatibility;

/// <summary>Messages and enums of a set of files by full Protobuf name, nested types included.</summary>
internal static class DescriptorIndex
{
    public static Dictionary<string, DescriptorProto> Messages(IEnumerable<FileDescriptorProto> files)
    {
        var index = new Dictionary<string, DescriptorProto>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            AddMessages(file.Package, file.MessageType, index);
        }

        return index;
    }

    public static Dictionary<string, EnumDescriptorProto> Enums(IEnumerable<FileDescriptorProto> files)
    {
        var index = new Dictionary<string, EnumDescriptorProto>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            AddEnums(file.Package, file.EnumType, index);
            foreach (var (name, message) in Messages([file]))
            {
                AddEnums(name, message.EnumType, index);
            }
        }

        return index;
    }

    private static void AddMessages(string scope, IEnumerable<DescriptorProto> messages, Dictionary<string, DescriptorProto> index)
    {
        foreach (var message in messages)
        {
            var name = $"{scope}.{message.Name}";
            index[name] = message;
            AddMessages(name, message.NestedType, index);
        }
    }

    private static void AddEnums(string scope, IEnumerable<EnumDescriptorProto> enums, Dictionary<string, EnumDescriptorProto> index)
    {
        foreach (var enumType in enums)
        {
            index[$"{scope}.{enumType.Name}"] = enumType;
        }
    }
}
