namespace Streaming.Processing.Idempotence;

/// <summary>What <see cref="OutputDeduplicator{TKey}"/> makes of an output record.</summary>
public enum Decision
{
    /// <summary>New: apply it.</summary>
    Accept = 0,

    /// <summary>Same owner epoch, revision not above the last accepted one: a replay or a broker duplicate; drop it.</summary>
    Repeat = 1,

    /// <summary>Owner epoch below the highest accepted for the key: a zombie's write after a takeover; drop it.</summary>
    Stale = 2,
}
