using System.Globalization;

namespace Streaming.Benchmarking;

/// <summary>How the harnesses summarize repeated measurements: the median, with the range beside it.</summary>
public static class Summary
{
    /// <summary>The median of <paramref name="values"/> (sorted in place); NaN when empty.</summary>
    public static double Median(List<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /// <summary>"median (min–max)" with <paramref name="format"/>, e.g. <c>1.02 (0.98–1.10)</c>; a single value alone.</summary>
    public static string MedianRange(IEnumerable<double> values, string format)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values.ToList();
        if (list.Count == 0)
        {
            return "–";
        }

        var median = Median(list).ToString(format, CultureInfo.InvariantCulture);
        return list.Count == 1
            ? median
            : string.Create(CultureInfo.InvariantCulture, $"{median} ({list.Min().ToString(format, CultureInfo.InvariantCulture)}–{list.Max().ToString(format, CultureInfo.InvariantCulture)})");
    }
}
