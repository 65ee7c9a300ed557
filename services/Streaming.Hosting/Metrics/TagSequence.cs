namespace Streaming.Hosting.Metrics;

/// <summary>
/// An immutable copy of the tags of a measurement, compared in order (key by ordinal, value by
/// <see cref="object.Equals(object?, object?)"/>).
/// </summary>
internal sealed class TagSequence
{
    private TagSequence(KeyValuePair<string, object?>[] tags)
    {
        Tags = tags;
        HashCode = Hash(tags);
    }

    public KeyValuePair<string, object?>[] Tags { get; }

    public int HashCode { get; }

    /// <summary>The tags exactly as given.</summary>
    public static TagSequence Copy(ReadOnlySpan<KeyValuePair<string, object?>> tags) => new(tags.ToArray());

    /// <summary>
    /// The tags sorted by key, a repeated key keeping its last value: the identity of a series,
    /// whatever order a call site passes its tags in.
    /// </summary>
    public static TagSequence Canonical(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var byKey = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            byKey[key] = value;
        }

        return new TagSequence([.. byKey]);
    }

    public static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = default(HashCode);
        foreach (var (key, value) in tags)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    public bool SequenceEquals(ReadOnlySpan<KeyValuePair<string, object?>> other)
    {
        if (other.Length != Tags.Length)
        {
            return false;
        }

        for (var i = 0; i < other.Length; i++)
        {
            if (!string.Equals(Tags[i].Key, other[i].Key, StringComparison.Ordinal) || !Equals(Tags[i].Value, other[i].Value))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// Compares <see cref="TagSequence"/>s, and lets a dictionary keyed by them be searched with the
/// span of tags a measurement callback receives, without copying it.
/// </summary>
internal sealed class TagSequenceComparer
    : IEqualityComparer<TagSequence>, IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, TagSequence>
{
    public static readonly TagSequenceComparer Instance = new();

    public bool Equals(TagSequence? x, TagSequence? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.HashCode == y.HashCode && x.SequenceEquals(y.Tags));

    public int GetHashCode(TagSequence obj) => obj.HashCode;

    public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> alternate, TagSequence other) => other.SequenceEquals(alternate);

    public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => TagSequence.Hash(alternate);

    public TagSequence Create(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => TagSequence.Copy(alternate);
}
