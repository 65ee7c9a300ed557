using Google.Protobuf.Reflection;

namespace Streaming.Contracts.Tests.Compatibility;

/// <summary>
/// The numbers and names a message or an enum reserves, with ranges made inclusive: descriptors
/// store message ranges as [start, end) but enum ranges as [start, end].
/// </summary>
internal sealed class Reservations
{
    private readonly List<(int Start, int End)> _ranges;
    private readonly HashSet<string> _names;

    private Reservations(IEnumerable<(int Start, int End)> ranges, IEnumerable<string> names)
    {
        _ranges = [.. ranges];
        _names = new HashSet<string>(names, StringComparer.Ordinal);
    }

    public static Reservations Of(DescriptorProto message) =>
        new(message.ReservedRange.Select(range => (range.Start, range.End - 1)), message.ReservedName);

    public static Reservations Of(EnumDescriptorProto enumType) =>
        new(enumType.ReservedRange.Select(range => (range.Start, range.End)), enumType.ReservedName);

    public bool Covers(int number) => _ranges.Exists(range => range.Start <= number && number <= range.End);

    /// <summary>A removed member is safe only when both its number and its name are reserved.</summary>
    public bool Retires(int number, string name) => Covers(number) && _names.Contains(name);

    /// <summary>
    /// Reservations of the released version that the current one dropped, and current members
    /// (<paramref name="memberKind"/> e.g. "field") that reuse a released reservation.
    /// </summary>
    public static void Compare(
        string kind, string name, Reservations released, Reservations current,
        string memberKind, IEnumerable<(string Name, int Number)> currentMembers, List<string> problems)
    {
        foreach (var range in released._ranges)
        {
            if (!current._ranges.Exists(now => now.Start <= range.Start && range.End <= now.End))
            {
                problems.Add($"{kind} {name}: reservation of numbers {range.Start}..{range.End} was dropped");
            }
        }

        foreach (var reservedName in released._names.Except(current._names).Order(StringComparer.Ordinal))
        {
            problems.Add($"{kind} {name}: reservation of name \"{reservedName}\" was dropped");
        }

        foreach (var member in currentMembers)
        {
            if (released.Covers(member.Number) || released._names.Contains(member.Name))
            {
                problems.Add($"{memberKind} {name}.{member.Name} = {member.Number}: reuses a number or name reserved in the released version");
            }
        }
    }
}
