using System.Globalization;
using System.Numerics;

namespace Streaming.Contracts.Tests;

public sealed class ExactDecimalTests
{
    private const int Seed = 42;

    [Fact]
    public void Parse_FormatOfRandomDecimals_ReturnsSameValueAndScale()
    {
        var random = new Random(Seed);
        for (var i = 0; i < 10_000; i++)
        {
            var value = new decimal(random.Next(), random.Next(), random.Next(), random.Next(2) == 0, (byte)random.Next(0, 29));

            var text = ExactDecimal.Format(value);
            var parsed = ExactDecimal.Parse(text);

            Assert.Matches(@"^-?[0-9]+(\.[0-9]+)?$", text);
            Assert.Equal(value, parsed);
            Assert.Equal(value.Scale, parsed.Scale);
        }
    }

    [Theory]
    [InlineData("64123.45000000")]
    [InlineData("0.00000001")]
    [InlineData("-12.5")]
    [InlineData("0")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("7.9228162514264337593543950335")]
    [InlineData("0.0000000000000000000000000001")]
    public void Format_ParsedCanonicalText_ReturnsTheSameText(string text)
    {
        Assert.Equal(text, ExactDecimal.Format(ExactDecimal.Parse(text)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("+1")]
    [InlineData("1e5")]
    [InlineData("1E-5")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("1.2.3")]
    [InlineData("1,000")]
    [InlineData("--1")]
    [InlineData("0x10")]
    [InlineData("\u0661")] // Arabic-Indic digit one: a digit to char.IsDigit, not to the grammar.
    public void TryParse_NonCanonicalText_ReturnsFalse(string text)
    {
        Assert.False(ExactDecimal.TryParse(text, out _));
        Assert.Throws<FormatException>(() => ExactDecimal.Parse(text));
    }

    [Theory]
    [InlineData("79228162514264337593543950336")] // decimal.MaxValue + 1
    [InlineData("123456789012345678901234567890")] // 30 significant digits
    [InlineData("9.9999999999999999999999999999")] // 29 digits that decimal.Parse would round to 10
    [InlineData("0.00000000000000000000000000001")] // 29 fractional digits
    public void Parse_MoreDigitsThanADecimalHolds_ThrowsInsteadOfRounding(string text)
    {
        var error = Assert.Throws<FormatException>(() => ExactDecimal.Parse(text));

        Assert.Contains("digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_NegativeZero_HasNoSign()
    {
        var negativeZero = -0.00m;

        Assert.Equal("0.00", ExactDecimal.Format(negativeZero));
    }

    [Fact]
    public void Multiply_RandomEightDecimalPriceAndQuantity_EqualsBigIntegerProduct()
    {
        var random = new Random(Seed);
        for (var i = 0; i < 10_000; i++)
        {
            // Up to 6 integer digits each: products below 1e12 with 16 fractional digits, 28 digits at
            // most (a decimal holds 28 to 29; see Multiply_ProductTooLongForADecimal_ThrowsInsteadOfRounding).
            var price = NextEightDecimalText(random);
            var quantity = NextEightDecimalText(random);

            var product = ExactDecimal.Multiply(ExactDecimal.Parse(price), ExactDecimal.Parse(quantity));

            Assert.Equal(ReferenceProduct(price, quantity), ExactDecimal.Format(product));
        }
    }

    [Fact]
    public void Multiply_ProductTooLongForADecimal_ThrowsInsteadOfRounding()
    {
        var large = ExactDecimal.Parse("12345678901234.12345678");

        Assert.Throws<OverflowException>(() => ExactDecimal.Multiply(large, large));
    }

    [Fact]
    public void Multiply_ProductBelowTheSmallestDecimal_ThrowsInsteadOfRoundingToZero()
    {
        var tiny = ExactDecimal.Parse("0.000000000000001"); // 1e-15: the product 1e-30 is below 1e-28

        Assert.Throws<OverflowException>(() => ExactDecimal.Multiply(tiny, tiny));
    }

    [Fact]
    public void Multiply_ZeroQuantity_ReturnsZero()
    {
        var product = ExactDecimal.Multiply(ExactDecimal.Parse("64123.45000000"), ExactDecimal.Parse("0.00000000"));

        Assert.Equal(0m, product);
    }

    [Fact]
    public void Add_SumTooLongForADecimal_ThrowsInsteadOfRounding()
    {
        var almostMax = ExactDecimal.Parse("7922816251426433759354395033.5");

        Assert.Throws<OverflowException>(() => ExactDecimal.Add(almostMax, almostMax));
    }

    [Fact]
    public void Add_QuoteVolumes_KeepsTheLargerScale()
    {
        var sum = ExactDecimal.Add(ExactDecimal.Parse("1.5"), ExactDecimal.Parse("0.2500000000000000"));

        Assert.Equal("1.7500000000000000", ExactDecimal.Format(sum));
    }

    private static string NextEightDecimalText(Random random) =>
        string.Create(CultureInfo.InvariantCulture, $"{random.Next(0, 1_000_000)}.{random.Next(0, 100_000_000):D8}");

    // The product of two 8-decimal numbers, computed on unscaled integers: 16 fractional digits.
    private static string ReferenceProduct(string left, string right)
    {
        var unscaled = BigInteger.Parse(left.Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)
            * BigInteger.Parse(right.Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        var digits = unscaled.ToString(CultureInfo.InvariantCulture).PadLeft(17, '0');
        return $"{digits[..^16]}.{digits[^16..]}";
    }
}
