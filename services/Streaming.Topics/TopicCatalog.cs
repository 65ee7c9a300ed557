using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Streaming.Topics.Catalog;

namespace Streaming.Topics;

/// <summary>
/// Every Kafka topic the system uses, as declared in deploy/topics.yaml: the single source for
/// services (names, keys, value types), the embedded developer broker and the provisioner.
/// A catalog that exists has passed validation; see <see cref="TopicCatalogException"/>.
/// </summary>
public sealed class TopicCatalog
{
    private const string EmbeddedResourceName = "Streaming.Topics.topics.yaml";

    private static readonly Lazy<TopicCatalog> _default = new(ReadEmbedded);

    private readonly FrozenDictionary<string, TopicSpec> _byName;

    private TopicCatalog(IReadOnlyList<TopicSpec> topics, string sourceName)
    {
        Topics = topics;
        SourceName = sourceName;
        _byName = topics.ToFrozenDictionary(topic => topic.Name, StringComparer.Ordinal);
    }

    /// <summary>The topics in the order the catalog declares them.</summary>
    public IReadOnlyList<TopicSpec> Topics { get; }

    /// <summary>Where the catalog came from (a path or resource name), for messages.</summary>
    public string SourceName { get; }

    /// <summary>The catalog built into this assembly from deploy/topics.yaml.</summary>
    /// <exception cref="TopicCatalogException">The embedded catalog is invalid (a build that should not have passed its tests).</exception>
    public static TopicCatalog LoadDefault() => _default.Value;

    /// <summary>Reads and validates a catalog file.</summary>
    /// <exception cref="TopicCatalogException">The file is not a valid catalog; every problem is listed.</exception>
    public static TopicCatalog Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates catalog YAML.</summary>
    /// <param name="yaml">The catalog text.</param>
    /// <param name="sourceName">Where the text came from, named in error messages.</param>
    /// <exception cref="TopicCatalogException">The text is not a valid catalog; every problem is listed.</exception>
    public static TopicCatalog Parse(string yaml, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        var problems = new List<TopicCatalogProblem>();
        var topics = CatalogLoader.Load(yaml, problems);
        return problems.Count == 0 ? new TopicCatalog(topics, sourceName) : throw new TopicCatalogException(sourceName, problems);
    }

    /// <summary>The topic named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The catalog has no such topic.</exception>
    public TopicSpec Get(string name) =>
        TryGet(name, out var topic)
            ? topic
            : throw new KeyNotFoundException($"Topic '{name}' is not in the topic catalog {SourceName}; declare it in deploy/topics.yaml.");

    public bool TryGet(string name, [NotNullWhen(true)] out TopicSpec? topic)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out topic);
    }

    /// <summary>
    /// The same catalog for a cluster with fewer brokers than the catalog assumes (e.g. one
    /// developer broker): replication factors above <paramref name="maxReplicationFactor"/> are
    /// lowered to it, and min.insync.replicas with them.
    /// </summary>
    public TopicCatalog WithMaxReplicationFactor(short maxReplicationFactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxReplicationFactor, (short)1);
        var topics = Topics
            .Select(topic => topic.ReplicationFactor > maxReplicationFactor ? topic.WithReplicationFactor(maxReplicationFactor) : topic)
            .ToList();
        return new TopicCatalog(topics, SourceName);
    }

    private static TopicCatalog ReadEmbedded()
    {
        using var stream = typeof(TopicCatalog).Assembly.GetManifestResourceStream(EmbeddedResourceName)
            ?? throw new InvalidOperationException($"Resource {EmbeddedResourceName} is missing from {typeof(TopicCatalog).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "deploy/topics.yaml (embedded)");
    }
}
