using Microsoft.Extensions.Logging.Abstractions;

namespace Streaming.Hosting.Tests;

public sealed class ReadinessGateTests
{
    [Fact]
    public void IsReady_NoConditions_IsTrue() =>
        Assert.True(new ReadinessGate([], NullLogger<ReadinessGate>.Instance).IsReady);

    [Fact]
    public void PendingConditions_SomeSet_ListsTheOthersInOrder()
    {
        var gate = new ReadinessGate(["state-restored", "kafka-connected", "cache-warm"], NullLogger<ReadinessGate>.Instance);

        gate.Set("cache-warm");

        Assert.False(gate.IsReady);
        Assert.Equal(["kafka-connected", "state-restored"], gate.PendingConditions);
    }

    [Fact]
    public void Set_UndeclaredCondition_ThrowsNamingTheDeclaredOnes()
    {
        var gate = new ReadinessGate(["kafka-connected"], NullLogger<ReadinessGate>.Instance);

        var exception = Assert.Throws<ArgumentException>(() => gate.Set("kafka-conected"));

        Assert.Contains("kafka-connected", exception.Message, StringComparison.Ordinal);
    }
}
