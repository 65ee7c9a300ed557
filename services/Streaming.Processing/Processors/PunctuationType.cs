namespace Streaming.Processing.Processors;

/// <summary>What advances a punctuation (Kafka Streams' <c>PunctuationType</c>).</summary>
public enum PunctuationType
{
    /// <summary>The task's stream time (the largest record timestamp it has seen): deterministic on replay.</summary>
    StreamTime,

    /// <summary>The injected <see cref="TimeProvider"/>: fires while no records arrive, so idle keys still advance.</summary>
    WallClockTime,
}
