namespace Streaming.EmbeddedKafka;

/// <summary>The two kinds of coordinator a Kafka cluster assigns to a key.</summary>
public enum CoordinatorType
{
    /// <summary>Consumer group coordinator, keyed by group id.</summary>
    Group,

    /// <summary>Transaction coordinator, keyed by transactional id.</summary>
    Transaction,
}
