using System.Globalization;
using System.Text;

namespace Streaming.Topics;

/// <summary>
/// A topic catalog that cannot be used. Lists every problem found, so one edit can fix them all.
/// </summary>
public sealed class TopicCatalogException : Exception
{
    public TopicCatalogException(string sourceName, IReadOnlyList<TopicCatalogProblem> problems)
        : base(Describe(sourceName, problems))
    {
        SourceName = sourceName;
        Problems = problems;
    }

    /// <summary>The file or resource the catalog came from.</summary>
    public string SourceName { get; }

    /// <summary>Every problem found, in document order.</summary>
    public IReadOnlyList<TopicCatalogProblem> Problems { get; }

    private static string Describe(string sourceName, IReadOnlyList<TopicCatalogProblem> problems)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Topic catalog {sourceName} is invalid ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):");
        foreach (var problem in problems)
        {
            text.AppendLine().Append("  ").Append(problem);
        }

        return text.ToString();
    }
}
