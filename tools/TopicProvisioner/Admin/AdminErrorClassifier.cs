using Confluent.Kafka;

namespace TopicProvisioner.Admin;

/// <summary>Turns Kafka errors from Admin API calls into failures a person can act on.</summary>
internal static class AdminErrorClassifier
{
    /// <summary>
    /// Classifies an error of an Admin API call made after the cluster answered a metadata request.
    /// A time-out then means no broker serves the request: librdkafka's mock cluster, for one,
    /// reports no controller, so the client times out "waiting for controller".
    /// </summary>
    public static ClusterAdminFailure Classify(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code switch
        {
            ErrorCode.UnsupportedVersion
                or ErrorCode.InvalidRequest
                or ErrorCode.Local_UnsupportedFeature
                or ErrorCode.Local_TimedOut => ClusterAdminFailure.AdminApiUnsupported,
            ErrorCode.Local_Transport
                or ErrorCode.Local_AllBrokersDown
                or ErrorCode.Local_Resolve
                or ErrorCode.Local_Authentication
                or ErrorCode.SaslAuthenticationFailed => ClusterAdminFailure.Unreachable,
            _ when SaysUnsupported(error.Reason) => ClusterAdminFailure.AdminApiUnsupported,
            _ => ClusterAdminFailure.Rejected,
        };
    }

    public static ClusterAdminException ToException(string operation, Error error, string bootstrapServers, Exception innerException)
    {
        ArgumentNullException.ThrowIfNull(error);
        var failure = Classify(error);
        var message = failure switch
        {
            ClusterAdminFailure.AdminApiUnsupported =>
                $"The Kafka cluster at {bootstrapServers} answers metadata requests but not the Admin API " +
                $"({operation}: {error.Reason}). The broker most likely does not implement CreateTopics, " +
                "DescribeConfigs and IncrementalAlterConfigs, as with librdkafka's mock cluster (the embedded " +
                "developer broker). Topics on the embedded broker are created by DevKafka from the same catalog; " +
                "run the provisioner against a real Kafka cluster.",
            ClusterAdminFailure.Unreachable =>
                $"Cannot reach the Kafka cluster at {bootstrapServers} ({operation}: {error.Reason}). " +
                "Check --bootstrap-servers and the security settings.",
            _ when error.Code == ErrorCode.InvalidReplicationFactor =>
                $"The Kafka cluster at {bootstrapServers} refused {operation}: {error.Reason}. " +
                "It has fewer brokers than the catalog's replication factor; --max-replication-factor lowers it.",
            _ => $"The Kafka cluster at {bootstrapServers} refused {operation}: {error.Code}: {error.Reason}",
        };
        return new ClusterAdminException(message, failure, innerException);
    }

    private static bool SaysUnsupported(string? reason) =>
        reason is not null
        && (reason.Contains("not supported", StringComparison.OrdinalIgnoreCase)
            || reason.Contains("unsupported", StringComparison.OrdinalIgnoreCase)
            || reason.Contains("not implemented", StringComparison.OrdinalIgnoreCase));
}
