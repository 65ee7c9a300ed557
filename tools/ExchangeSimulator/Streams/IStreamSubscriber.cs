namespace ExchangeSimulator.Streams;

/// <summary>A connection that receives stream messages (raw payloads; the connection wraps them for combined streams).</summary>
public interface IStreamSubscriber
{
    /// <summary>Whether the connection asked for <c>timeUnit=MICROSECOND</c>.</summary>
    bool Microseconds { get; }

    /// <summary>
    /// Hands over one payload. Called on the publishing thread: must not block. The array is shared
    /// with every other subscriber of the stream and must not be modified.
    /// </summary>
    void Deliver(int streamId, byte[] payload);
}
