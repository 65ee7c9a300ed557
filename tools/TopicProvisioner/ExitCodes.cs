namespace TopicProvisioner;

/// <summary>The provisioner's exit codes, for scripts and CI jobs.</summary>
internal static class ExitCodes
{
    /// <summary>The cluster matches the catalog (after applying, when not a dry run).</summary>
    public const int InSync = 0;

    /// <summary>Could not do the job: connection, authentication, Admin API, invalid catalog, no convergence.</summary>
    public const int Error = 1;

    /// <summary>Dry run only: the cluster differs in ways applying would fix.</summary>
    public const int Drift = 2;

    /// <summary>An existing topic differs in a way only a person may fix (partitions, replication factor).</summary>
    public const int Disagreement = 3;

    /// <summary>The command line is wrong (sysexits' EX_USAGE).</summary>
    public const int Usage = 64;
}
