using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Streaming.Hosting.Health;

/// <summary>Reports the <see cref="ReadinessGate"/> as the "ready" health check.</summary>
internal sealed class ReadinessGateHealthCheck(ReadinessGate gate) : IHealthCheck
{
    public const string Name = "readiness-gate";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = gate.PendingConditions;
        return Task.FromResult(pending.Count == 0
            ? HealthCheckResult.Healthy("all readiness conditions are set")
            : HealthCheckResult.Unhealthy($"waiting for: {string.Join(", ", pending)}"));
    }
}
