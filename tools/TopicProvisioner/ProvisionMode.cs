namespace TopicProvisioner;

internal enum ProvisionMode
{
    /// <summary>Create missing topics, apply config changes, then confirm by describing again.</summary>
    Apply,

    /// <summary>Print the plan and change nothing.</summary>
    DryRun,
}
