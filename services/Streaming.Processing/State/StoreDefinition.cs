namespace Streaming.Processing.State;

/// <summary>A store declared in the topology: its name, its changelog topic and how to build one per task.</summary>
public abstract class StoreDefinition
{
    private protected StoreDefinition(string name, string changelogTopic)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(changelogTopic);
        Name = name;
        ChangelogTopic = changelogTopic;
    }

    public string Name { get; }

    /// <summary>Kafka Streams' naming: <c>&lt;application id&gt;-&lt;store&gt;-changelog</c>, declared in the topic catalog.</summary>
    public string ChangelogTopic { get; }

    internal abstract ILoggedStore Build();

    /// <summary>A key-value store with the changelog <c>{applicationId}-{name}-changelog</c>.</summary>
    public static StoreDefinition KeyValue<TKey, TValue>(string applicationId, string name, IStateSerde<TKey> keySerde, IStateSerde<TValue> valueSerde)
        where TKey : notnull =>
        new KeyValueStoreDefinition<TKey, TValue>(name, $"{applicationId}-{name}-changelog", keySerde, valueSerde);

    /// <summary>A window store (values per key and window start) with the changelog <c>{applicationId}-{name}-changelog</c>.</summary>
    public static StoreDefinition Window<TKey, TValue>(string applicationId, string name, IStateSerde<TKey> keySerde, IStateSerde<TValue> valueSerde)
        where TKey : notnull =>
        new WindowStoreDefinition<TKey, TValue>(name, $"{applicationId}-{name}-changelog", keySerde, valueSerde);
}

internal sealed class WindowStoreDefinition<TKey, TValue>(string name, string changelogTopic, IStateSerde<TKey> keySerde, IStateSerde<TValue> valueSerde)
    : StoreDefinition(name, changelogTopic)
    where TKey : notnull
{
    internal override ILoggedStore Build() => new InMemoryWindowStore<TKey, TValue>(Name, ChangelogTopic, keySerde, valueSerde);
}

internal sealed class KeyValueStoreDefinition<TKey, TValue>(string name, string changelogTopic, IStateSerde<TKey> keySerde, IStateSerde<TValue> valueSerde)
    : StoreDefinition(name, changelogTopic)
    where TKey : notnull
{
    internal override ILoggedStore Build() =>
        new ChangeLoggingKeyValueStore<TKey, TValue>(new InMemoryKeyValueStore<TKey, TValue>(Name), ChangelogTopic, keySerde, valueSerde);
}
