namespace TakerVolume.Topology;

/// <summary>The topology's sink names.</summary>
internal static class Sinks
{
    public const string Normalized = "normalized";
    public const string Tumbling = "tumbling";
    public const string Sliding = "sliding";
    public const string Alerts = "alerts";
    public const string Reconciliation = "reconciliation";
    public const string Gaps = "gaps";
}
