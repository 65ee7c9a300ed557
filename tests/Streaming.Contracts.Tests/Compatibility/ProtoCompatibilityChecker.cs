using Google.Protobuf.Reflection;

namespace Streaming.Contracts.Tests.Compatibility;

/// <summary>
/// Compares current contracts with the last released ones and lists every change that would
/// break a reader or writer of the released version (rules: proto/README.md, "Schema
/// evolution"). Additions (new messages, enums, fields and enum values with new numbers) pass.
/// </summary>
internal static class ProtoCompatibilityChecker
{
    /// <returns>One readable line per breaking change; empty when compatible.</returns>
    public static IReadOnlyList<string> FindBreakingChanges(IEnumerable<FileDescriptorProto> released, IEnumerable<FileDescriptorProto> current)
    {
        var currentFiles = current.ToList();
        var releasedFiles = released.ToList();
        var problems = new List<string>();

        var currentMessages = DescriptorIndex.Messages(currentFiles);
        foreach (var (name, releasedMessage) in DescriptorIndex.Messages(releasedFiles))
        {
            if (currentMessages.TryGetValue(name, out var currentMessage))
            {
                MessageRules.Compare(name, releasedMessage, currentMessage, problems);
            }
            else
            {
                problems.Add($"message {name} was removed or renamed");
            }
        }

        var currentEnums = DescriptorIndex.Enums(currentFiles);
        foreach (var (name, releasedEnum) in DescriptorIndex.Enums(releasedFiles))
        {
            if (currentEnums.TryGetValue(name, out var currentEnum))
            {
                EnumRules.Compare(name, releasedEnum, currentEnum, problems);
            }
            else
            {
                problems.Add($"enum {name} was removed or renamed");
            }
        }

        return problems;
    }
}
