using System.Globalization;
using System.Text;
using Streaming.Contracts;
using TakerVolume.Parsing;

namespace TakerVolume.Tests.Parsing;

public sealed class Utf8ExactDecimalTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("0", "0", 0)]
    [InlineData("-0", "0", 0)]
    [InlineData("64123.45000000", "64123.45", 8)]
    [InlineData("0.00000000", "0", 8)]
    [InlineData("0.00007480", "0.0000748", 8)]
    [InlineData("-1.5", "-1.5", 1)]
    [InlineData("000000000000000000000000000000000000000012.50", "12.5", 2)]
    [InlineData("1.0000000000000000000000000000", "1", 28)]
    [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001", 28)]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335", 0)]
    [InlineData("-79228162514264337593543950335", "-79228162514264337593543950335", 0)]
    [InlineData("7.9228162514264337593543950335", "7.9228162514264337593543950335", 28)]
    [InlineData("9999999999999999999", "9999999999999999999", 0)]
    [InlineData("18446744073709551615", "18446744073709551615", 0)]
    [InlineData("18446744073709551616", "18446744073709551616", 0)]
    public void TryParse_ExactText_KeepsValueAndScale(string text, string value, int scale)
    {
        Assert.True(Utf8ExactDecimal.TryParse(Encoding.UTF8.GetBytes(text), out var parsed));
        Assert.Equal(decimal.Parse(value, CultureInfo.InvariantCulture), parsed);
        Assert.Equal(scale, parsed.Scale);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+1")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("-.5")]
    [InlineData("1e5")]
    [InlineData("1E-5")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1,000")]
    [InlineData("1.2.3")]
    [InlineData("--1")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("0x10")]
    [InlineData("\u0663")] // ARABIC-INDIC DIGIT THREE: not an ASCII digit
    [InlineData("1\u00a0")]
    [InlineData("79228162514264337593543950336")] // 2^96
    [InlineData("7.9228162514264337593543950336")] // mantissa 2^96, would round
    [InlineData("100000000000000000000000000000")] // 30 digits
    [InlineData("0.00000000000000000000000000001")] // 29 fractional digits
    [InlineData("1.00000000000000000000000000000")] // 29 fractional digits
    public void TryParse_NotExactDecimalText_Fails(string text)
    {
        Assert.False(Utf8ExactDecimal.TryParse(Encoding.UTF8.GetBytes(text), out _));
        Assert.False(ExactDecimal.TryParse(text, out _)); // the reference agrees
    }

    /// <summary>
    /// Property check against the project's reference parser (Streaming.Contracts.ExactDecimal,
    /// built on decimal.TryParse) over generated text, valid and invalid, of every length and scale
    /// around the limits: same verdict, and for valid text the same value and the same scale.
    /// </summary>
    [Fact]
    public void TryParse_GeneratedText_AgreesWithExactDecimal()
    {
        var random = new Random(20261121);
        int valid = 0, invalid = 0, wide = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var text = i % 4 == 0 ? NearTheLimit(random) : Generate(random);
            var expectedOk = ExactDecimal.TryParse(text, out var expected);
            var actualOk = Utf8ExactDecimal.TryParse(Encoding.UTF8.GetBytes(text), out var actual);
            if (expectedOk != actualOk)
            {
                Assert.Fail($"'{text}': ExactDecimal says {(expectedOk ? "valid" : "invalid")}, Utf8ExactDecimal {(actualOk ? "valid" : "invalid")}");
            }

            if (!expectedOk)
            {
                invalid++;
                continue;
            }

            valid++;
            wide += text.Count(char.IsAsciiDigit) > 19 ? 1 : 0;
            if (expected != actual || expected.Scale != actual.Scale || ExactDecimal.Format(expected) != ExactDecimal.Format(actual))
            {
                Assert.Fail($"'{text}': ExactDecimal {ExactDecimal.Format(expected)} (scale {expected.Scale}), Utf8ExactDecimal {ExactDecimal.Format(actual)} (scale {actual.Scale})");
            }
        }

        output.WriteLine($"{valid} valid ({wide} with more than 19 digits), {invalid} invalid");
        Assert.True(valid > 50_000, $"only {valid} valid texts generated");
        Assert.True(invalid > 50_000, $"only {invalid} invalid texts generated");
        Assert.True(wide > 10_000, $"only {wide} valid texts beyond 19 digits generated");
    }

    /// <summary>Random decimal-like text: sign, leading zeros, 0-34 integer and fraction digits, trailing zeros, sometimes corrupted.</summary>
    private static string Generate(Random random)
    {
        var text = new StringBuilder();
        if (random.Next(4) == 0)
        {
            text.Append('-');
        }

        if (random.Next(5) == 0)
        {
            text.Append('0', random.Next(1, 6));
        }

        AppendDigits(text, random, random.Next(8) == 0 ? random.Next(0, 2) : random.Next(1, 32));
        if (random.Next(3) != 0)
        {
            text.Append('.');
            AppendDigits(text, random, random.Next(10) == 0 ? 0 : random.Next(1, 34));
            if (random.Next(4) == 0)
            {
                text.Append('0', random.Next(1, 10));
            }
        }

        if (random.Next(6) == 0)
        {
            const string Noise = "+-.eE ,x0\u0663\u00a0\t";
            var position = random.Next(text.Length + 1);
            var character = Noise[random.Next(Noise.Length)];
            if (random.Next(2) == 0 && position < text.Length)
            {
                text[position] = character;
            }
            else
            {
                text.Insert(position, character);
            }
        }

        return text.ToString();
    }

    /// <summary>Text whose mantissa lies just below, at or just above 2^96, with the point anywhere.</summary>
    private static string NearTheLimit(Random random)
    {
        var limit = (UInt128.One << 96) + (UInt128)random.Next(-1000, 1000);
        var digits = limit.ToString(CultureInfo.InvariantCulture);
        if (random.Next(3) == 0)
        {
            digits = digits[..random.Next(20, digits.Length)]; // fewer digits: always fits
        }

        var point = random.Next(0, digits.Length);
        var text = point == 0 ? digits : $"{digits[..point]}.{digits[point..]}";
        return random.Next(2) == 0 ? "-" + text : text;
    }

    private static void AppendDigits(StringBuilder text, Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            text.Append((char)('0' + random.Next(10)));
        }
    }
}
