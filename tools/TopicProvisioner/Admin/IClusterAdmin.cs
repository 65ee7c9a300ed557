using Streaming.Topics;
using Streaming.Topics.Provisioning;

namespace TopicProvisioner.Admin;

/// <summary>
/// The few Admin API operations provisioning needs. Kept this small so the command's logic runs
/// against a scripted cluster in tests; <see cref="ConfluentClusterAdmin"/> is the real one.
/// </summary>
/// <remarks>Failures surface as <see cref="ClusterAdminException"/>.</remarks>
internal interface IClusterAdmin
{
    /// <summary>Those of <paramref name="topics"/> that exist, with partitions, replicas and configs.</summary>
    Task<ClusterState> DescribeAsync(IReadOnlyCollection<string> topics, CancellationToken cancellationToken);

    Task CreateTopicsAsync(IReadOnlyList<TopicSpec> topics, CancellationToken cancellationToken);

    Task ApplyConfigChangesAsync(IReadOnlyList<ConfigChange> changes, CancellationToken cancellationToken);
}
