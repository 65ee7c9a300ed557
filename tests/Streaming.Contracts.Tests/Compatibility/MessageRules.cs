using Google.Protobuf.Reflection;

namespace Streaming.Contracts.Tests.Compatibility;

/// <summary>
/// Breaking changes to one message's fields. Fields are matched by number, because the number is
/// what the wire carries; names matter too, because JSON and generated code use them.
/// </summary>
internal static class MessageRules
{
    public static void Compare(string messageName, DescriptorProto released, DescriptorProto current, List<string> problems)
    {
        var currentByNumber = current.Field.ToDictionary(field => field.Number);
        var currentByName = current.Field.ToDictionary(field => field.Name, StringComparer.Ordinal);
        var currentReservations = Reservations.Of(current);

        foreach (var field in released.Field)
        {
            var where = $"field {messageName}.{field.Name} = {field.Number}";
            if (currentByNumber.TryGetValue(field.Number, out var now))
            {
                CompareField(where, field, now, problems);
            }
            else if (currentByName.TryGetValue(field.Name, out var moved))
            {
                problems.Add($"{where}: number changed to {moved.Number}");
            }
            else if (!currentReservations.Retires(field.Number, field.Name))
            {
                problems.Add($"{where}: removed without `reserved {field.Number};` and `reserved \"{field.Name}\";`");
            }
        }

        Reservations.Compare("message", messageName, Reservations.Of(released), currentReservations, "field", current.Field.Select(field => (field.Name, field.Number)), problems);
    }

    private static void CompareField(string where, FieldDescriptorProto released, FieldDescriptorProto current, List<string> problems)
    {
        if (released.Name != current.Name)
        {
            problems.Add($"{where}: renamed to {current.Name}");
        }

        if (released.Type != current.Type || released.TypeName != current.TypeName)
        {
            problems.Add($"{where}: type changed from {TypeOf(released)} to {TypeOf(current)}");
        }

        if (released.Label != current.Label || released.Proto3Optional != current.Proto3Optional)
        {
            problems.Add($"{where}: label changed from {LabelOf(released)} to {LabelOf(current)}");
        }

        if (InRealOneof(released) != InRealOneof(current))
        {
            problems.Add($"{where}: moved {(InRealOneof(current) ? "into" : "out of")} a oneof");
        }
    }


    private static bool InRealOneof(FieldDescriptorProto field) => field.HasOneofIndex && !field.Proto3Optional;

    private static string TypeOf(FieldDescriptorProto field) =>
        field.TypeName.Length > 0 ? field.TypeName.TrimStart('.') : field.Type.ToString().ToLowerInvariant();

    private static string LabelOf(FieldDescriptorProto field) =>
        field.Label == FieldDescriptorProto.Types.Label.Repeated ? "repeated" : field.Proto3Optional ? "optional" : "singular";
}
