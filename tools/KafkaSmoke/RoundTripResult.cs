using System.Globalization;
using System.Text;

namespace KafkaSmoke;

/// <summary>What one smoke round trip saw, and whether that is a pass.</summary>
internal sealed record RoundTripResult(
    string Topic,
    int Produced,
    TimeSpan ProduceTime,
    IReadOnlyList<double> AckLatenciesMs,
    int Received,
    int Duplicates,
    int KeysOutOfOrder,
    IReadOnlyList<double> EndToEndLatenciesMs,
    int Partitions,
    int PartitionsCommittedAtEnd,
    int PartitionsWithRecords)
{
    public bool Passed =>
        Received == Produced && Duplicates == 0 && KeysOutOfOrder == 0 && PartitionsCommittedAtEnd == PartitionsWithRecords;

    public string Describe()
    {
        var text = new StringBuilder();
        var rate = Produced / Math.Max(ProduceTime.TotalSeconds, 1e-9);
        Line(text, "produced", $"{Produced} records to {Topic} ({Partitions} partitions) in {ProduceTime.TotalSeconds:0.00} s, {rate:0} records/s; acknowledgement latency p50 {Percentile(AckLatenciesMs, 0.50):0.0} ms, p99 {Percentile(AckLatenciesMs, 0.99):0.0} ms");
        Line(text, "consumed", $"{Received}/{Produced} through a new consumer group, {Duplicates} duplicates, {KeysOutOfOrder} keys out of order; end-to-end latency p50 {Percentile(EndToEndLatenciesMs, 0.50):0.0} ms, p99 {Percentile(EndToEndLatenciesMs, 0.99):0.0} ms");
        Line(text, "committed", $"offsets at the end of {PartitionsCommittedAtEnd}/{PartitionsWithRecords} partitions that received records");
        return text.ToString();
    }

    internal static double Percentile(IReadOnlyList<double> values, double quantile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(quantile * sorted.Length) - 1)];
    }

    private static void Line(StringBuilder text, string label, string value) =>
        text.Append(CultureInfo.InvariantCulture, $"  {label,-10} {value}").AppendLine();
}
