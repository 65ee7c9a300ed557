namespace TopicProvisioner.Admin;

/// <summary>An Admin API operation failed; the message is meant for the person running the tool.</summary>
internal sealed class ClusterAdminException(string message, ClusterAdminFailure failure, Exception? innerException = null)
    : Exception(message, innerException)
{
    public ClusterAdminFailure Failure { get; } = failure;
}

internal enum ClusterAdminFailure
{
    /// <summary>No broker answered, or the connection was refused or not authenticated.</summary>
    Unreachable,

    /// <summary>Brokers answer, but not the Admin API requests provisioning needs.</summary>
    AdminApiUnsupported,

    /// <summary>The cluster answered with an error (authorization, invalid config, ...).</summary>
    Rejected,
}
