using Streaming.Contracts.Analytics.V1;

namespace TakerVolume.Benchmarks.Kafka;

/// <summary>The tumbling windows a run published, as a consumer keeps them: the highest revision per (symbol, window start).</summary>
internal static class PublishedWindows
{
    public static Dictionary<(string Symbol, long Start), TakerVolumeWindow> Read(BenchKafka kafka, string tumblingTopic)
    {
        var latest = new Dictionary<(string Symbol, long Start), TakerVolumeWindow>();
        TopicReader.ReadAll(kafka, tumblingTopic, record =>
        {
            // The registry-less form: the plain Protobuf payload (the type is in the headers).
            var window = TakerVolumeWindow.Parser.ParseFrom(record.Message.Value);
            var key = (window.Symbol, window.WindowStartMs);
            if (!latest.TryGetValue(key, out var known) || window.Revision > known.Revision)
            {
                latest[key] = window;
            }
        });
        return latest;
    }
}
