using Google.Protobuf.Reflection;

namespace Streaming.Contracts.Tests.Compatibility;

/// <summary>Breaking changes to one enum's values, matched by number like message fields.</summary>
internal static class EnumRules
{
    public static void Compare(string enumName, EnumDescriptorProto released, EnumDescriptorProto current, List<string> problems)
    {
        var currentByNumber = current.Value.GroupBy(value => value.Number).ToDictionary(group => group.Key, group => group.First());
        var currentByName = current.Value.ToDictionary(value => value.Name, StringComparer.Ordinal);
        var currentReservations = Reservations.Of(current);

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
            else if (!currentReservations.Retires(value.Number, value.Name))
            {
                problems.Add($"{where}: removed without `reserved {value.Number};` and `reserved \"{value.Name}\";`");
            }
        }

        Reservations.Compare("enum", enumName, Reservations.Of(released), currentReservations, "enum value", current.Value.Select(value => (value.Name, value.Number)), problems);
    }
}
