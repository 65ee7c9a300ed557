namespace Streaming.Serialization;

/// <summary>How the subject a schema is registered under is named (Confluent's strategies of the same names).</summary>
public enum SubjectNameStrategy
{
    /// <summary><c>&lt;topic&gt;-value</c> or <c>&lt;topic&gt;-key</c>: one schema lineage per topic.</summary>
    TopicName,

    /// <summary>The message's full name: one lineage per type, shared by every topic carrying it.</summary>
    RecordName,
}
