using System.Text;

namespace TakerVolume.Tests.Parsing;

/// <summary>
/// A flat JSON object as an ordered list of (name, raw JSON value) pairs, for building payloads
/// with one field changed, removed, repeated or moved.
/// </summary>
internal sealed class JsonFields
{
    private readonly List<KeyValuePair<string, string>> _fields;

    public JsonFields(params (string Name, string RawValue)[] fields)
        : this(fields.Select(field => KeyValuePair.Create(field.Name, field.RawValue)))
    {
    }

    private JsonFields(IEnumerable<KeyValuePair<string, string>> fields) => _fields = [.. fields];

    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    /// <summary>The same object with <paramref name="name"/> set to <paramref name="rawValue"/> (in place, or appended).</summary>
    public JsonFields With(string name, string rawValue)
    {
        var copy = new List<KeyValuePair<string, string>>(_fields);
        var index = copy.FindIndex(field => field.Key == name);
        if (index < 0)
        {
            copy.Add(KeyValuePair.Create(name, rawValue));
        }
        else
        {
            copy[index] = KeyValuePair.Create(name, rawValue);
        }

        return new JsonFields(copy);
    }

    /// <summary>The same object with <paramref name="name"/> given a second time at the end.</summary>
    public JsonFields WithRepeated(string name, string rawValue) => new([.. _fields, KeyValuePair.Create(name, rawValue)]);

    public JsonFields Without(string name) => new(_fields.Where(field => field.Key != name));

    /// <summary>The same object with its properties in a random order.</summary>
    public JsonFields Shuffled(Random random)
    {
        var copy = _fields.ToArray();
        random.Shuffle(copy);
        return new JsonFields(copy);
    }

    /// <summary>The object with each property name written as a \u escape of its first character.</summary>
    public JsonFields WithEscapedNames() =>
        new(_fields.Select(field => KeyValuePair.Create($"\\u{(int)field.Key[0]:x4}{field.Key[1..]}", field.Value)));

    public string Value(string name) => _fields.First(field => field.Key == name).Value;

    public override string ToString() => "{" + string.Join(",", _fields.Select(field => $"\"{field.Key}\":{field.Value}")) + "}";

    public byte[] ToUtf8() => Encoding.UTF8.GetBytes(ToString());

    /// <summary>A JSON string literal (no escaping needed for the test texts).</summary>
    public static string Str(string text) => $"\"{text}\"";
}
