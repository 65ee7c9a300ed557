namespace TopicProvisioner;

/// <summary>
/// How long to wait for applied changes to show: a new topic's metadata reaches every broker a
/// moment after CreateTopics returns, so the first describe may not see it yet.
/// </summary>
internal sealed record VerifyPolicy(int Attempts, TimeSpan Interval)
{
    public static VerifyPolicy Default { get; } = new(Attempts: 10, Interval: TimeSpan.FromSeconds(1));
}
