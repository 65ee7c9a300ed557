using System.Diagnostics.Tracing;
using System.Globalization;

namespace Streaming.Benchmarking;

/// <summary>
/// What the process allocates, by type, sampled by the runtime itself: its <c>GCAllocationTick</c> event fires about
/// every 100 KB allocated and names the type of the object that crossed the mark, so each type's share of the ticks is
/// its share of the bytes. Arrays of 4 KB and more are told apart by size (a pooled 16 KB frame buffer is not a 256 B
/// payload). Off unless <c>--allocations</c> is given: the listener itself costs a little.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const int AllocationTickEventId = 10;
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private volatile bool _collecting;

    public void Start()
    {
        lock (_lock)
        {
            _bytes.Clear();
        }

        _collecting = true;
    }

    /// <summary>Each type's share of <paramref name="bytes"/>, largest first.</summary>
    public static IReadOnlyList<(string Type, double Share)> Shares(IReadOnlyDictionary<string, long> bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var total = (double)Math.Max(1, bytes.Values.Sum());
        return [.. bytes.OrderByDescending(e => e.Value).Select(e => (e.Key, e.Value / total))];
    }

    /// <summary>Stops sampling; returns the sampled bytes by type (pool rounds by adding them; <see cref="Shares"/> for shares).</summary>
    public IReadOnlyDictionary<string, long> Stop()
    {
        _collecting = false;
        lock (_lock)
        {
            return new Dictionary<string, long>(_bytes, StringComparer.Ordinal);
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        ArgumentNullException.ThrowIfNull(eventSource);
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (!_collecting || eventData.EventId != AllocationTickEventId || eventData.PayloadNames is not { } names || eventData.Payload is not { } payload)
        {
            return;
        }

        string type = "?";
        ulong amount = 0;
        ulong size = 0;
        for (var i = 0; i < names.Count; i++)
        {
            switch (names[i])
            {
                case "TypeName":
                    type = payload[i] as string ?? "?";
                    break;
                case "AllocationAmount64":
                    amount = Convert.ToUInt64(payload[i], CultureInfo.InvariantCulture);
                    break;
                case "ObjectSize":
                    size = Convert.ToUInt64(payload[i], CultureInfo.InvariantCulture);
                    break;
            }
        }

        if (type.EndsWith("[]", StringComparison.Ordinal) && size >= 4096)
        {
            type = string.Create(CultureInfo.InvariantCulture, $"{type} of {size:N0} B");
        }

        lock (_lock)
        {
            _bytes[type] = _bytes.GetValueOrDefault(type) + (long)amount;
        }
    }
}
