using System.Globalization;

namespace Streaming.Topics;

/// <summary>One thing wrong with a topic catalog.</summary>
/// <param name="Topic">
/// The topic's name; <c>defaults</c> for the defaults block; <c>topics[i]</c> for an entry without a
/// usable name; null for the document as a whole.
/// </param>
/// <param name="Field">The field at fault, e.g. <c>partitions</c> or <c>configs.retention.ms</c>.</param>
/// <param name="Message">What is wrong, in words.</param>
/// <param name="Line">The 1-based line in the YAML source, when known.</param>
public sealed record TopicCatalogProblem(string? Topic, string Field, string Message, int? Line)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var where = Line is { } line ? string.Create(CultureInfo.InvariantCulture, $"line {line}: ") : "";
        var subject = Topic is null ? "" : $"topic '{Topic}', ";
        return $"{where}{subject}{Field}: {Message}";
    }
}
