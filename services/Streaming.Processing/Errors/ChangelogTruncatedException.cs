namespace Streaming.Processing.Errors;

/// <summary>
/// A restore needs changelog records the broker no longer holds (retention deleted them, or the topic was
/// recreated): the store cannot be rebuilt exactly. Never accepted silently: by default the instance stops;
/// <c>Processing:OnChangelogTruncated = RestoreAndReport</c> restores what is left and counts the loss.
/// </summary>
public sealed class ChangelogTruncatedException : Exception
{
    public ChangelogTruncatedException()
    {
    }

    public ChangelogTruncatedException(string message)
        : base(message)
    {
    }

    public ChangelogTruncatedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
