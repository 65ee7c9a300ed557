namespace Streaming.Processing.State;

/// <summary>Where a store's coalesced changes go at commit: the task's changelog partition, stamped with its epoch.</summary>
internal interface IChangelogWriter
{
    void Write(string topic, int partition, byte[] key, byte[]? value);
}
