namespace Streaming.Topics.Catalog;

/// <summary>YAML text to validated topic specs: read, apply defaults, check every rule.</summary>
internal static class CatalogLoader
{
    /// <summary>The topics in document order; problems in document order too, none when valid.</summary>
    public static IReadOnlyList<TopicSpec> Load(string yaml, List<TopicCatalogProblem> problems)
    {
        var topics = new List<(TopicSpec Spec, int Line)>();
        if (CatalogYamlReader.Read(yaml, problems) is { } document)
        {
            // Checked where written, so a bad default is reported once rather than once per topic.
            CatalogRules.CheckConfigs("defaults", document.Defaults.Configs, document.Defaults.Line, problems);
            foreach (var entry in document.Topics)
            {
                CatalogRules.CheckConfigs(entry.Label, entry.Configs, entry.Line, problems);
                if (CatalogResolver.Resolve(entry, document.Defaults, problems) is { } spec)
                {
                    CatalogRules.CheckTopic(spec, entry.Line, problems);
                    topics.Add((spec, entry.Line));
                }
            }

            CatalogRules.CheckUniqueNames(topics, problems);
            CatalogRules.CheckCopartitionGroups(topics, problems);
        }

        // Stable: problems of one line keep the order the rules found them in.
        var ordered = problems.OrderBy(problem => problem.Line ?? 0).ToList();
        problems.Clear();
        problems.AddRange(ordered);
        return topics.ConvertAll(topic => topic.Spec);
    }
}
