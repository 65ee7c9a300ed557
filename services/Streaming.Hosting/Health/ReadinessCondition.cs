namespace Streaming.Hosting.Health;

/// <summary>A readiness condition declared in the service collection, collected by the <see cref="ReadinessGate"/>.</summary>
internal sealed record ReadinessCondition(string Name);
