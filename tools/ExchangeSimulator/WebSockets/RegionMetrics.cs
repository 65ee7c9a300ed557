using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ExchangeSimulator.WebSockets;

/// <summary>The simulator's own metrics, tagged by market and region (exported on the control API's <c>/metrics</c>).</summary>
public sealed class RegionMetrics
{
    public const string MeterName = "Streaming.ExchangeSimulator";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Messages = Meter.CreateCounter<long>("simulator.stream.messages", description: "Stream messages sent to clients.");
    private static readonly Counter<long> Bytes = Meter.CreateCounter<long>("simulator.stream.payload.bytes", unit: "By", description: "Stream payload bytes sent to clients.");
    private static readonly Counter<long> Connections = Meter.CreateCounter<long>("simulator.connections.opened", description: "WebSocket connections accepted.");
    private static readonly Counter<long> Disconnections = Meter.CreateCounter<long>("simulator.connections.closed", description: "WebSocket connections ended, by reason.");
    private static readonly Counter<long> Faults = Meter.CreateCounter<long>("simulator.faults.injected", description: "Faults injected, by kind.");
    private static readonly Counter<long> Refused = Meter.CreateCounter<long>("simulator.connections.refused", description: "Handshakes refused (region down, bad URL).");

    private readonly TagList _tags;

    public RegionMetrics(string market, string region)
    {
        _tags = new TagList { { "market", market }, { "region", region } };
    }

    public void MessageSent(int payloadBytes)
    {
        Messages.Add(1, _tags);
        Bytes.Add(payloadBytes, _tags);
    }

    public void ConnectionOpened() => Connections.Add(1, _tags);

    public void ConnectionClosed(DisconnectReason reason)
    {
        var tags = _tags;
        tags.Add("reason", reason.ToString());
        Disconnections.Add(1, tags);
    }

    public void FaultInjected(string kind)
    {
        var tags = _tags;
        tags.Add("kind", kind);
        Faults.Add(1, tags);
    }

    public void HandshakeRefused() => Refused.Add(1, _tags);
}
