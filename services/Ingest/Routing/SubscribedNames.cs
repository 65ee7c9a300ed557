using System.Text;

namespace Ingest.Routing;

/// <summary>
/// The symbol and stream names a market's connections are subscribed to, as one <see cref="StreamNameTable"/>
/// replaced whole whenever the plan changes: the planner publishes, the frame processor reads, and a published
/// table is never modified, so neither side locks. A name outside the plan (a frame for a stream just
/// unsubscribed, or a misrouted one) gets a string of its own instead of growing the table.
/// </summary>
internal sealed class SubscribedNames
{
    private StreamNameTable _table = new();

    /// <summary>Replaces the table with <paramref name="names"/>; call before subscribing to them.</summary>
    public void Publish(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var table = new StreamNameTable();
        foreach (var name in names)
        {
            table.Register(name);
        }

        Volatile.Write(ref _table, table);
    }

    /// <summary>The cached string for <paramref name="utf8"/>, or a new one for a name outside the plan.</summary>
    public string Get(ReadOnlySpan<byte> utf8) =>
        Volatile.Read(ref _table).TryGet(utf8, out var name) ? name : Encoding.UTF8.GetString(utf8);
}
