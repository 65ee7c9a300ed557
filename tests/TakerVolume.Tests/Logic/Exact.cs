using System.Globalization;
using System.Numerics;
using Streaming.Contracts;
using TakerVolume.Parsing;

namespace TakerVolume.Tests.Logic;

/// <summary>
/// Reference arithmetic for the checks, independent of <see cref="decimal"/> operators: every decimal as an integer
/// count of 10^-28 (exact for any decimal), so sums and products are computed with <see cref="BigInteger"/>.
/// </summary>
internal static class Exact
{
    public const int Scale = 28;

    /// <summary><paramref name="value"/> × 10^28, exactly.</summary>
    public static BigInteger Scaled(decimal value)
    {
        var (mantissa, scale, negative) = Parts(value);
        var scaled = mantissa * BigInteger.Pow(10, Scale - scale);
        return negative ? -scaled : scaled;
    }

    public static (BigInteger Mantissa, int Scale, bool Negative) Parts(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        return (mantissa, (bits[3] >> 16) & 0xFF, bits[3] < 0);
    }

    /// <summary>The fewest fractional digits that hold the value exactly, computed from its digits as text.</summary>
    public static int SignificantScaleFromText(decimal value)
    {
        var text = ExactDecimal.Format(value);
        var point = text.IndexOf('.', StringComparison.Ordinal);
        return point < 0 ? 0 : text.TrimEnd('0').Length - point - 1;
    }

    /// <summary>A positive decimal with the given mantissa and scale.</summary>
    public static decimal Dec(long mantissa, int scale) =>
        new((int)(uint)(ulong)mantissa, (int)(uint)((ulong)mantissa >> 32), 0, false, (byte)scale);

    /// <summary>A random positive amount below 10^integerDigits with exactly <paramref name="scale"/> decimals kept (trailing zeros included).</summary>
    public static decimal RandomAmount(Random random, int integerDigits, int scale)
    {
        var limit = (long)Math.Pow(10, integerDigits + scale);
        var mantissa = random.NextInt64(1, limit);
        if (scale > 0 && random.Next(4) == 0)
        {
            // Round numbers: products with fewer significant decimals.
            var zeros = random.Next(1, scale + 1);
            var unit = (long)Math.Pow(10, zeros);
            mantissa = Math.Max(unit, mantissa / unit * unit);
        }

        return Dec(mantissa, scale);
    }

    public static decimal D(string text) => ExactDecimal.Parse(text);

    public static string T(decimal value) => ExactDecimal.Format(value);

    public static ParsedAggTrade Trade(long aggregateId, string price, string quantity, long firstTradeId, long lastTradeId, long timeMs, bool buyerIsMaker) =>
        new(aggregateId, D(price), D(quantity), firstTradeId, lastTradeId, timeMs, -1, -1, buyerIsMaker);

    public static ParsedAggTrade Trade(long aggregateId, decimal price, decimal quantity, long firstTradeId, long lastTradeId, long timeMs, bool buyerIsMaker) =>
        new(aggregateId, price, quantity, firstTradeId, lastTradeId, timeMs, -1, -1, buyerIsMaker);

    public static string Show(BigInteger scaled) => string.Create(CultureInfo.InvariantCulture, $"{scaled}e-{Scale}");
}

/// <summary>Expected totals of a set of trades, summed with <see cref="BigInteger"/>.</summary>
internal sealed class ReferenceTotals
{
    public BigInteger TakerBuyQuote { get; private set; }

    public BigInteger TakerSellQuote { get; private set; }

    public BigInteger TakerBuyBase { get; private set; }

    public BigInteger TakerSellBase { get; private set; }

    public long AggregateTradeCount { get; private set; }

    public long TradeCount { get; private set; }

    /// <summary>Adds <paramref name="trade"/>'s p × q (computed here, exactly) and q to the taker's side.</summary>
    public void Add(in ParsedAggTrade trade)
    {
        var quote = Exact.Scaled(trade.Price) * Exact.Scaled(trade.Quantity) / BigInteger.Pow(10, Exact.Scale);
        var quantity = Exact.Scaled(trade.Quantity);
        if (!trade.BuyerIsMaker)
        {
            TakerBuyQuote += quote;
            TakerBuyBase += quantity;
        }
        else
        {
            TakerSellQuote += quote;
            TakerSellBase += quantity;
        }

        AggregateTradeCount++;
        TradeCount += trade.LastTradeId - trade.FirstTradeId + 1;
    }

    public void AssertEqual(TakerVolume.Windows.VolumeTotals actual, string context = "")
    {
        Assert.True(TakerBuyQuote == Exact.Scaled(actual.TakerBuyQuote), $"{context} taker buy quote {Exact.T(actual.TakerBuyQuote)}, expected {Exact.Show(TakerBuyQuote)}");
        Assert.True(TakerSellQuote == Exact.Scaled(actual.TakerSellQuote), $"{context} taker sell quote {Exact.T(actual.TakerSellQuote)}, expected {Exact.Show(TakerSellQuote)}");
        Assert.True(TakerBuyBase == Exact.Scaled(actual.TakerBuyBase), $"{context} taker buy base {Exact.T(actual.TakerBuyBase)}, expected {Exact.Show(TakerBuyBase)}");
        Assert.True(TakerSellBase == Exact.Scaled(actual.TakerSellBase), $"{context} taker sell base {Exact.T(actual.TakerSellBase)}, expected {Exact.Show(TakerSellBase)}");
        Assert.True(AggregateTradeCount == actual.AggregateTradeCount, $"{context} aggregate trade count {actual.AggregateTradeCount}, expected {AggregateTradeCount}");
        Assert.True(TradeCount == actual.TradeCount, $"{context} trade count {actual.TradeCount}, expected {TradeCount}");
    }
}
