namespace TopicProvisioner.CommandLine;

/// <summary>The command line cannot be understood; the message says what to change.</summary>
internal sealed class UsageException(string message) : Exception(message);
