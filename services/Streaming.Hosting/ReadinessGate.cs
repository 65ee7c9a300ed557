using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Streaming.Hosting;

/// <summary>
/// The service's readiness as a set of named conditions (e.g. <c>kafka-connected</c>,
/// <c>state-restored</c>): <c>GET /readyz</c> succeeds only while every declared condition is set.
/// Conditions are declared up front with
/// <see cref="ServiceCollectionExtensions.AddReadinessCondition"/>, so the service cannot look
/// ready before the component that owns a condition has even been created.
/// Thread-safe.
/// </summary>
public sealed class ReadinessGate
{
    private readonly ConcurrentDictionary<string, bool> _conditions;
    private readonly ILogger<ReadinessGate> _logger;

    /// <summary>Creates a gate whose given conditions all start unset.</summary>
    public ReadinessGate(IEnumerable<string> conditions, ILogger<ReadinessGate> logger)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(logger);
        _conditions = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        foreach (var condition in conditions)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(condition);
            _conditions.TryAdd(condition, false);
        }

        _logger = logger;
    }

    /// <summary>True when every declared condition is set (or none was declared).</summary>
    public bool IsReady => _conditions.Values.All(isSet => isSet);

    /// <summary>The declared conditions not set yet, in ordinal order.</summary>
    public IReadOnlyList<string> PendingConditions =>
        [.. _conditions.Where(c => !c.Value).Select(c => c.Key).Order(StringComparer.Ordinal)];

    /// <summary>Marks a condition as met.</summary>
    /// <exception cref="ArgumentException">The condition was never declared.</exception>
    public void Set(string condition)
    {
        if (Update(condition, isSet: true))
        {
            // Changes are rare (a few per process lifetime), so the list is formatted unconditionally.
            var pending = string.Join(", ", PendingConditions);
            Log.ReadinessConditionSet(_logger, condition, pending);
        }
    }

    /// <summary>Marks a condition as no longer met (e.g. the broker connection was lost).</summary>
    /// <exception cref="ArgumentException">The condition was never declared.</exception>
    public void Reset(string condition)
    {
        if (Update(condition, isSet: false))
        {
            Log.ReadinessConditionReset(_logger, condition);
        }
    }

    // Returns whether the condition changed, so repeated calls from a polling loop do not log.
    private bool Update(string condition, bool isSet)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (!_conditions.TryGetValue(condition, out var wasSet))
        {
            // An undeclared name is almost always a typo that would leave the gate stuck.
            throw new ArgumentException(
                $"Readiness condition '{condition}' was not declared; declared: {string.Join(", ", _conditions.Keys.Order(StringComparer.Ordinal))}.",
                nameof(condition));
        }

        return wasSet != isSet && _conditions.TryUpdate(condition, isSet, wasSet);
    }
}
