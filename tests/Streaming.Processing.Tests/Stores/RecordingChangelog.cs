using Streaming.Processing.State;

namespace Streaming.Processing.Tests.Stores;

/// <summary>Captures what a store writes to its changelog at a flush.</summary>
internal sealed class RecordingChangelog : IChangelogWriter
{
    public List<(string Topic, int Partition, byte[] Key, byte[]? Value)> Records { get; } = [];

    public void Write(string topic, int partition, byte[] key, byte[]? value) => Records.Add((topic, partition, key, value));
}
