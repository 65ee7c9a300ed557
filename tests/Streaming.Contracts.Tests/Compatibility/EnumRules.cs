using Google.Protobuf.Reflection;

namespace Streaming.Contracts.Tests.Compatibility;

/// <summary>Breaking changes to one enum's values, matched by number like message fields.</summary>
internal static class EnumRules
{
    public static void Compare(string enumName, EnumDescriptorProto released, EnumDescriptorProto current, List<string> problems)
    {
        var currentByNumber = current.Value.GroupBy(value => value.Number).ToDictionary(group => group.Key, group => group.First());
        var currentByName = current.Value.ToDictionary(value => value.Name, StringComparer.Ordinal);

        foreach (var value in released.Value)
        {
            var where = $"enum value {enumName}.{value.Name} = {value.Number}";
            if (currentByNumber.TryGetValue(value.Number, out var now))
            {
                if (now.Name != value.Name)
                {
                    problems.Add($"{where}: renamed to {now.Name}");
                }
            }
            else if (currentByName.TryGetValue(value.Name, out var moved))
            {
                problems.Add($"{where}: number changed to {moved.Number}");
            }
            else if (!IsReserved(current, value.Number) || !current.ReservedName.Contains(value.Name))
            {
                problems.Add($"{where}: removed without `reserved {value.Number};` and `reserved \"{value.Name}\";`");
            }
        }

        foreach (var range in released.ReservedRange)
        {
            if (!current.ReservedRange.Any(now => now.Start <= range.Start && range.End <= now.End))
            {
                problems.Add($"enum {enumName}: reservation of numbers {range.Start}..{range.End} was dropped");
            }
        }

        foreach (var name in released.ReservedName.Except(current.ReservedName, StringComparer.Ordinal))
        {
            problems.Add($"enum {enumName}: reservation of name \"{name}\" was dropped");
        }

        foreach (var value in current.Value.Where(value => IsReserved(released, value.Number) || released.ReservedName.Contains(value.Name)))
        {
            problems.Add($"enum value {enumName}.{value.Name} = {value.Number}: reuses a number or name reserved in the released version");
        }
    }

    // Enum reserved ranges are [start, end]: unlike message ranges, the end is inclusive.
    private static bool IsReserved(EnumDescriptorProto enumType, int number) =>
        enumType.ReservedRange.Any(range => range.Start <= number && number <= range.End);
}
