using System.Globalization;

namespace Streaming.Hosting.Tests.Infrastructure;

/// <summary>One metric family of a parsed exposition, and the structural rules it must follow.</summary>
internal sealed class MetricFamily(string name)
{
    public string Name { get; } = name;

    public string? Type { get; set; }

    public string? Help { get; set; }

    public List<Sample> Samples { get; } = [];

    /// <summary>The one sample named <paramref name="sampleName"/> with exactly these labels.</summary>
    public Sample Single(string sampleName, params (string Name, string Value)[] labels)
    {
        var matches = Samples.Where(s => s.Name == sampleName && s.HasExactly(labels)).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException(
                $"{matches.Count} samples {sampleName}{{{string.Join(",", labels.Select(l => $"{l.Name}={l.Value}"))}}}; family {Name} has: {string.Join("; ", Samples)}");
    }

    /// <summary>The value of the family's own sample (not a histogram's) with exactly these labels.</summary>
    public double Value(params (string Name, string Value)[] labels) => Single(Name, labels).Value;

    /// <summary>A histogram series' cumulative bucket counts by upper bound (the <c>le</c> label as written).</summary>
    public IReadOnlyList<(string UpperBound, double Count)> Buckets(params (string Name, string Value)[] labels) =>
        [.. Samples
            .Where(s => s.Name == $"{Name}_bucket" && s.HasExactly([.. labels, ("le", s.Labels.GetValueOrDefault("le", ""))]))
            .Select(s => (s.Labels["le"], s.Value))];

    public void Validate()
    {
        var series = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sample in Samples)
        {
            if (!series.Add(sample.SeriesKey))
            {
                throw new FormatException($"Duplicate series {sample}.");
            }

            if (Type is not ("histogram" or "summary") && sample.Name != Name)
            {
                throw new FormatException($"Sample {sample.Name} in family {Name}.");
            }

            if (Type == "counter" && sample.Value < 0)
            {
                throw new FormatException($"Negative counter {sample}.");
            }
        }

        if (Type == "histogram")
        {
            ValidateHistogram();
        }
    }

    private void ValidateHistogram()
    {
        foreach (var group in Samples.GroupBy(s => s.LabelsWithout("le"), StringComparer.Ordinal))
        {
            var buckets = group.Where(s => s.Name == $"{Name}_bucket").ToList();
            if (buckets.Count == 0 || buckets.Any(b => !b.Labels.ContainsKey("le")))
            {
                throw new FormatException($"Histogram {Name}{{{group.Key}}} has no buckets or a bucket without le.");
            }

            for (var i = 1; i < buckets.Count; i++)
            {
                if (UpperBound(buckets[i]) <= UpperBound(buckets[i - 1]) || buckets[i].Value < buckets[i - 1].Value)
                {
                    throw new FormatException($"Histogram {Name}{{{group.Key}}} buckets are not ascending and cumulative.");
                }
            }

            var count = group.SingleOrDefault(s => s.Name == $"{Name}_count")
                ?? throw new FormatException($"Histogram {Name}{{{group.Key}}} has no _count.");
            _ = group.SingleOrDefault(s => s.Name == $"{Name}_sum")
                ?? throw new FormatException($"Histogram {Name}{{{group.Key}}} has no _sum.");
            if (!double.IsPositiveInfinity(UpperBound(buckets[^1])) || buckets[^1].Value != count.Value)
            {
                throw new FormatException($"Histogram {Name}{{{group.Key}}} does not end with a +Inf bucket equal to _count.");
            }
        }
    }

    private static double UpperBound(Sample bucket) => bucket.Labels["le"] switch
    {
        "+Inf" => double.PositiveInfinity,
        var text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound)
            ? bound
            : throw new FormatException($"Invalid le '{text}'."),
    };
}

internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool HasExactly(IReadOnlyCollection<(string Name, string Value)> labels) =>
        Labels.Count == labels.Count && labels.All(l => Labels.TryGetValue(l.Name, out var value) && value == l.Value);

    public string SeriesKey => $"{Name}{{{LabelsWithout(string.Empty)}}}";

    public string LabelsWithout(string excluded) =>
        string.Join(",", Labels.Where(l => l.Key != excluded).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\""));

    public override string ToString() => $"{SeriesKey} {Value.ToString(CultureInfo.InvariantCulture)}";
}
