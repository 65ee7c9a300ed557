namespace Streaming.Topics.Catalog;

/// <summary>The catalog as written, before defaults are applied; absent fields are null.</summary>
internal sealed record CatalogDocument(CatalogDefaults Defaults, IReadOnlyList<TopicEntry> Topics);

/// <summary>The <c>defaults:</c> block.</summary>
internal sealed record CatalogDefaults(short? ReplicationFactor, IReadOnlyDictionary<string, string> Configs, int? Line)
{
    public static CatalogDefaults None { get; } = new(null, new Dictionary<string, string>(), null);
}

/// <summary>
/// One entry of the <c>topics:</c> list. Its <c>Label</c> is how problems name the entry: its
/// name, or <c>topics[i]</c> without one.
/// </summary>
internal sealed record TopicEntry(
    string Label,
    int Line,
    string? Name,
    string? Description,
    string? Owner,
    string? Key,
    string? Value,
    int? Partitions,
    short? ReplicationFactor,
    IReadOnlyDictionary<string, string> Configs,
    string? Copartition);
