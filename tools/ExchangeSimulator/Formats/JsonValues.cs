using System.Globalization;
using System.Text.Json;
using ExchangeSimulator.Market;

namespace ExchangeSimulator.Formats;

/// <summary>Binance's value conventions shared by stream and REST bodies: decimals as strings keeping their scale, times in the chosen unit.</summary>
internal static class JsonValues
{
    // Widest decimal text: 29 digits, a sign and a point.
    private const int MaxDecimalBytes = 32;

    public static void WriteDecimal(this Utf8JsonWriter json, ReadOnlySpan<byte> name, decimal value)
    {
        json.WritePropertyName(name);
        json.WriteDecimalValue(value);
    }

    /// <summary>Formats straight into a stack buffer: no string per value.</summary>
    public static void WriteDecimalValue(this Utf8JsonWriter json, decimal value)
    {
        Span<byte> text = stackalloc byte[MaxDecimalBytes];
        if (!value.TryFormat(text, out var length, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"Decimal {value} does not fit {MaxDecimalBytes} bytes.");
        }

        json.WriteStringValue(text[..length]);
    }

    public static void WriteLevels(this Utf8JsonWriter json, ReadOnlySpan<byte> name, IReadOnlyList<PriceLevel> levels)
    {
        json.WriteStartArray(name);
        for (var i = 0; i < levels.Count; i++)
        {
            json.WriteStartArray();
            json.WriteDecimalValue(levels[i].Price);
            json.WriteDecimalValue(levels[i].Quantity);
            json.WriteEndArray();
        }

        json.WriteEndArray();
    }

    public static long Time(this BinanceTimeUnit unit, long timeUs) =>
        unit == BinanceTimeUnit.Microsecond ? timeUs : SimulatedTime.ToMilliseconds(timeUs);

    /// <summary>A kline's close time <c>T</c>: one unit (ms or µs) before the next interval starts.</summary>
    public static long CloseTime(this BinanceTimeUnit unit, Kline kline) =>
        unit.Time(kline.OpenTimeUs + kline.Interval.LengthUs) - 1;

    public static Utf8JsonWriter CreateWriter() =>
        // Binance's bodies are ASCII; the default encoder is fine. The writer is re-pointed per message with Reset.
        new(Stream.Null, new JsonWriterOptions { Indented = false });
}
