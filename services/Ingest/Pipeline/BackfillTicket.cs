namespace Ingest.Pipeline;

/// <summary>
/// Says when a <see cref="BackfillRequest"/> has been served: its rows handed to the producer, and what the exchange
/// lacks reported. The gap listener commits a gap's offset only then, so a pod stopped with the request still
/// queued leaves the gap to the next pod of the group. Set on the backfill worker, read on the listener's thread.
/// </summary>
internal sealed class BackfillTicket
{
    private volatile bool _handled;

    public BackfillTicket()
    {
    }

    private BackfillTicket(bool handled) => _handled = handled;

    /// <summary>A ticket already handled: a record that needs no request.</summary>
    public static BackfillTicket Done { get; } = new(handled: true);

    public bool IsHandled => _handled;

    public void MarkHandled() => _handled = true;
}
