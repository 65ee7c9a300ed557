using System.Numerics;
using TakerVolume.Parsing;
using TakerVolume.Trades;
using TakerVolume.Windows;
using static TakerVolume.Tests.Logic.Exact;

namespace TakerVolume.Tests.Logic;

public sealed class TradeFiguresTests
{
    [Fact]
    public void Of_SmallestSpotPriceAndQuantity_KeepsAllSixteenDecimals()
    {
        var figures = TradeFigures.Of(Trade(1, "0.00000001", "0.00000001", 10, 10, 0, buyerIsMaker: false));

        Assert.Equal("0.0000000000000001", T(figures.Quote));
        Assert.Equal(16, figures.QuoteScale);
        Assert.Equal("0.00000001", T(figures.Base));
    }

    [Fact]
    public void Of_ExchangeScaledInputs_QuoteIsTheExactProductWithBothScales()
    {
        var figures = TradeFigures.Of(Trade(1, "64123.45000000", "0.00100000", 10, 10, 0, buyerIsMaker: false));

        Assert.Equal("64.1234500000000000", T(figures.Quote));
        Assert.Equal(5, figures.QuoteScale);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Of_BuyerIsMaker_DecidesTheTakerSide(bool buyerIsMaker, bool takerBuy)
    {
        var figures = TradeFigures.Of(Trade(1, "1.0", "2.0", 10, 10, 0, buyerIsMaker));

        Assert.Equal(takerBuy, figures.IsTakerBuy);
    }

    [Theory]
    [InlineData(10, 10, 1)]
    [InlineData(100, 104, 5)]
    [InlineData(4_000_000_000, 4_000_000_999, 1000)]
    public void Of_TradeCount_IsLastMinusFirstPlusOne(long first, long last, long count)
    {
        Assert.Equal(count, TradeFigures.Of(Trade(1, "1", "1", first, last, 0, buyerIsMaker: true)).TradeCount);
    }

    [Fact]
    public void Of_ProductBeyondDecimalPrecision_ThrowsInsteadOfRounding()
    {
        Assert.Throws<OverflowException>(() => TradeFigures.Of(Trade(1, "0.12345678901234567", "0.12345678901234567", 1, 1, 0, buyerIsMaker: true)));
    }

    [Fact]
    public void Of_RandomExchangeDecimals_QuoteEqualsTheBigIntegerProduct()
    {
        LogicSeeds.Check(1000, seed =>
        {
            var random = new Random(seed);
            var price = RandomAmount(random, random.Next(0, 6), random.Next(0, 9));
            var quantity = RandomAmount(random, random.Next(0, 6), random.Next(0, 9));

            var figures = TradeFigures.Of(Trade(1, price, quantity, 5, 5 + random.Next(0, 10), 0, random.Next(2) == 0));

            var (pm, ps, _) = Parts(price);
            var (qm, qs, _) = Parts(quantity);
            var (m, s, negative) = Parts(figures.Quote);
            Assert.Equal(pm * qm, m);
            Assert.Equal(ps + qs, s);
            Assert.False(negative);
            Assert.Equal(SignificantScaleFromText(figures.Quote), figures.QuoteScale);
            Assert.Equal(quantity, figures.Base);
            Assert.Equal(quantity.Scale, figures.Base.Scale);
        });
    }
}

public sealed class DecimalDigitsTests
{
    [Theory]
    [InlineData("1.2500", 2, "1.25")]
    [InlineData("-1.2500", 2, "-1.25")]
    [InlineData("100.00", 0, "100")]
    [InlineData("100", 0, "100")]
    [InlineData("0.000", 0, "0")]
    [InlineData("0", 0, "0")]
    [InlineData("0.0000000000000001", 16, "0.0000000000000001")]
    [InlineData("0.0000000000000000000000000001", 28, "0.0000000000000000000000000001")]
    [InlineData("7922816251426433759354395033.0", 0, "7922816251426433759354395033")]
    [InlineData("79228162514264337593543950335", 0, "79228162514264337593543950335")]
    [InlineData("7.9228162514264337593543950330", 27, "7.922816251426433759354395033")]
    public void SignificantScaleAndStrip_DropOnlyTrailingZeros(string text, int significantScale, string stripped)
    {
        var value = D(text);

        var result = DecimalDigits.Strip(value);

        Assert.Equal(significantScale, DecimalDigits.SignificantScale(value));
        Assert.Equal(value, result);
        Assert.Equal(significantScale, result.Scale);
        Assert.Equal(stripped, T(result));
    }

    [Theory]
    [InlineData("1", "3", 2, "0.33")]
    [InlineData("2", "3", 2, "0.67")]
    [InlineData("-2", "3", 2, "-0.67")]
    [InlineData("2", "-3", 2, "-0.67")]
    [InlineData("-2", "-3", 2, "0.67")]
    [InlineData("0.125", "1", 2, "0.12")]
    [InlineData("0.135", "1", 2, "0.14")]
    [InlineData("-0.125", "1", 2, "-0.12")]
    [InlineData("0.001", "1", 2, "0.00")]
    [InlineData("-0.001", "1", 2, "0.00")]
    [InlineData("7", "0.0002", 0, "35000")]
    [InlineData("50000000.0000000000006", "100000000000000000001", 12, "0.000000000001")]
    [InlineData("50000000.0000000000005", "100000000000000000001", 12, "0.000000000000")]
    public void DivideRounded_RoundsTheExactQuotientOnceHalfToEven(string dividend, string divisor, int decimals, string expected)
    {
        var result = DecimalDigits.DivideRounded(D(dividend), D(divisor), decimals);

        Assert.Equal(expected, result.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void DivideRounded_ResultBeyondDecimal_Throws()
    {
        Assert.Throws<OverflowException>(() => DecimalDigits.DivideRounded(decimal.MaxValue, 0.5m, 0));
        Assert.Throws<DivideByZeroException>(() => DecimalDigits.DivideRounded(1m, 0m, 2));
    }

    [Fact]
    public void Strip_NegativeZero_IsAPlainZero()
    {
        var negativeZero = -0.00m;

        var result = DecimalDigits.Strip(negativeZero);

        Assert.Equal(0, result.Scale);
        Assert.Equal(0m, result);
        Assert.Equal("0", result.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Strip_RandomValuesWithAddedZeros_KeepsTheValueAndTheTextWithoutTrailingZeros()
    {
        LogicSeeds.Check(1000, seed =>
        {
            var random = new Random(seed);
            var zeros = random.Next(0, 10);
            var scale = random.Next(0, 29 - zeros);
            // Mantissas of every width up to 96 bits, so that the padded one still fits a decimal.
            var bound = (BigInteger.One << 96) / BigInteger.Pow(10, zeros);
            var bits = random.Next(0, 97);
            var mantissa = bits == 0 ? BigInteger.Zero : RandomBelow(random, BigInteger.Min(bound, BigInteger.One << bits));
            var negative = random.Next(2) == 0;
            var value = FromParts(mantissa, scale, negative);
            var padded = FromParts(mantissa * BigInteger.Pow(10, zeros), scale + zeros, negative);
            var text = T(padded);
            var trimmed = text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;

            var stripped = DecimalDigits.Strip(padded);

            Assert.Equal(value, stripped);
            Assert.Equal(trimmed, T(stripped));
            Assert.Equal(DecimalDigits.SignificantScale(padded), stripped.Scale);
            Assert.Equal(SignificantScaleFromText(padded), DecimalDigits.SignificantScale(padded));
            Assert.Equal(negative && mantissa != 0, stripped < 0m);
        });
    }

    private static BigInteger RandomBelow(Random random, BigInteger bound)
    {
        var bytes = bound.ToByteArray();
        random.NextBytes(bytes);
        bytes[^1] &= 0x7F;
        return BigInteger.Remainder(new BigInteger(bytes), bound);
    }

    private static decimal FromParts(BigInteger mantissa, int scale, bool negative)
    {
        var mask = (BigInteger)uint.MaxValue;
        return new decimal((int)(uint)(mantissa & mask), (int)(uint)((mantissa >> 32) & mask), (int)(uint)((mantissa >> 64) & mask), negative, (byte)scale);
    }
}

public sealed class VolumeTotalsTests
{
    [Fact]
    public void Add_SortsQuoteAndBaseByTakerSide()
    {
        var totals = new VolumeTotals();
        totals.Add(TradeFigures.Of(Trade(1, "2.50", "4.000", 1, 3, 0, buyerIsMaker: false)));
        totals.Add(TradeFigures.Of(Trade(2, "3.00", "1.000", 4, 4, 0, buyerIsMaker: true)));

        Assert.Equal(10m, totals.TakerBuyQuote);
        Assert.Equal(4m, totals.TakerBuyBase);
        Assert.Equal(3m, totals.TakerSellQuote);
        Assert.Equal(1m, totals.TakerSellBase);
        Assert.Equal(13m, totals.QuoteVolume);
        Assert.Equal(5m, totals.BaseVolume);
        Assert.Equal(2, totals.AggregateTradeCount);
        Assert.Equal(4, totals.TradeCount);
        Assert.False(totals.IsEmpty);
    }

    [Fact]
    public void Subtract_EverythingAdded_LeavesACleanZero()
    {
        var totals = new VolumeTotals();
        var part = new VolumeTotals();
        part.Add(TradeFigures.Of(Trade(1, "0.00000001", "0.00000001", 1, 1, 0, buyerIsMaker: false)));
        part.Add(TradeFigures.Of(Trade(2, "64123.45000000", "0.12300000", 2, 9, 0, buyerIsMaker: true)));
        totals.Add(part);

        totals.Subtract(part);

        Assert.True(totals.IsEmpty);
        Assert.Equal(0, totals.TradeCount);
        foreach (var value in new[] { totals.TakerBuyQuote, totals.TakerSellQuote, totals.TakerBuyBase, totals.TakerSellBase })
        {
            Assert.Equal("0", T(value));
        }

        Assert.Equal("0", totals.ToContract().TakerBuyQuoteVolume);
    }

    [Fact]
    public void Subtract_Part_LeavesTheExactRest()
    {
        var totals = new VolumeTotals();
        var first = new VolumeTotals();
        first.Add(TradeFigures.Of(Trade(1, "0.1", "0.3", 1, 1, 0, buyerIsMaker: false)));
        var second = new VolumeTotals();
        second.Add(TradeFigures.Of(Trade(2, "0.00000001", "0.00000001", 2, 2, 0, buyerIsMaker: false)));
        totals.Add(first);
        totals.Add(second);

        totals.Subtract(first);

        Assert.Equal(0.0000000000000001m, totals.TakerBuyQuote);
        Assert.Equal(0.00000001m, totals.TakerBuyBase);
        Assert.Equal(1, totals.AggregateTradeCount);
    }

    [Fact]
    public void Add_SumNeedingMoreDigitsThanADecimalHolds_Throws()
    {
        var totals = new VolumeTotals();
        totals.Add(new TradeFigures(10_000m, 1m, true, 1, 0));

        Assert.Throws<OverflowException>(() => totals.Add(new TradeFigures(0.0000000000000000000000000001m, 1m, true, 1, 28)));
    }

    [Fact]
    public void ToContract_StripsTrailingZeros()
    {
        var totals = new VolumeTotals();
        totals.Add(TradeFigures.Of(Trade(1, "1.50000000", "1.00000000", 1, 1, 0, buyerIsMaker: false)));

        var contract = totals.ToContract();

        Assert.Equal("1.5", contract.TakerBuyQuoteVolume);
        Assert.Equal("1", contract.TakerBuyBaseVolume);
        Assert.Equal("0", contract.TakerSellQuoteVolume);
        Assert.Equal(1, contract.AggregateTradeCount);
    }

    /// <summary>Running totals changed one trade at a time in both directions equal a fresh sum of what is in.</summary>
    [Fact]
    public void AddAndSubtract_RandomSequence_EqualsTheBigIntegerSumOfWhatRemains()
    {
        LogicSeeds.Check(150, seed =>
        {
            var random = new Random(seed);
            var running = new VolumeTotals();
            var inside = new List<(ParsedAggTrade Trade, VolumeTotals Single)>();
            for (var step = 0; step < 60; step++)
            {
                if (inside.Count > 0 && random.Next(3) == 0)
                {
                    var index = random.Next(inside.Count);
                    running.Subtract(inside[index].Single);
                    inside.RemoveAt(index);
                }
                else
                {
                    var trade = Trade(step, RandomAmount(random, 5, random.Next(0, 9)), RandomAmount(random, 3, random.Next(0, 9)), step * 10, (step * 10) + random.Next(0, 5), 0, random.Next(2) == 0);
                    var single = new VolumeTotals();
                    single.Add(TradeFigures.Of(trade));
                    running.Add(single);
                    inside.Add((trade, single));
                }

                var expected = new ReferenceTotals();
                foreach (var (trade, _) in inside)
                {
                    expected.Add(trade);
                }

                expected.AssertEqual(running, $"step {step}");
                if (inside.Count == 0)
                {
                    Assert.Equal("0", T(running.TakerBuyQuote));
                    Assert.Equal("0", T(running.TakerSellBase));
                }
            }
        });
    }
}
