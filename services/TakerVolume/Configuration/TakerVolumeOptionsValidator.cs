using Microsoft.Extensions.Options;

namespace TakerVolume.Configuration;

/// <summary>Rules DataAnnotations cannot state, each reported under its configuration key.</summary>
internal sealed class TakerVolumeOptionsValidator : IValidateOptions<TakerVolumeOptions>
{
    public ValidateOptionsResult Validate(string? name, TakerVolumeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = TakerVolumeOptions.SectionName;
        if (options.WindowSize <= TimeSpan.Zero || options.WindowSize.Ticks % TimeSpan.TicksPerMillisecond != 0 || TimeSpan.FromDays(1).Ticks % options.WindowSize.Ticks != 0)
        {
            failures.Add($"{Section}:WindowSize: {options.WindowSize} does not divide a day into whole milliseconds (windows align to UTC like klines)");
        }

        if (options.SlidingWindow.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            failures.Add($"{Section}:SlidingWindow: {options.SlidingWindow} is not a whole number of milliseconds");
        }

        if (options.WindowRetention < options.WindowSize + options.Grace)
        {
            failures.Add($"{Section}:WindowRetention: {options.WindowRetention} is shorter than WindowSize + Grace ({options.WindowSize + options.Grace})");
        }

        foreach (var symbol in options.Symbols)
        {
            CheckSymbol(failures, $"{Section}:Symbols", symbol);
        }

        foreach (var asset in options.QuoteAssets)
        {
            if (asset != "*" && (asset.Length == 0 || !asset.All(char.IsAsciiLetterUpper)))
            {
                failures.Add($"{Section}:QuoteAssets: '{asset}' is not an upper-case asset name or *");
            }
        }

        var alerts = options.Alerts;
        CheckThreshold(failures, $"{Section}:Alerts:LargeTradeQuote", alerts.LargeTradeQuote);
        CheckThreshold(failures, $"{Section}:Alerts:TrailingTakerBuyQuote", alerts.TrailingTakerBuyQuote);
        CheckThreshold(failures, $"{Section}:Alerts:TrailingTakerSellQuote", alerts.TrailingTakerSellQuote);
        foreach (var (key, map) in new[]
        {
            ("LargeTradeQuoteBySymbol", alerts.LargeTradeQuoteBySymbol),
            ("TrailingTakerBuyQuoteBySymbol", alerts.TrailingTakerBuyQuoteBySymbol),
            ("TrailingTakerSellQuoteBySymbol", alerts.TrailingTakerSellQuoteBySymbol),
        })
        {
            foreach (var (symbol, threshold) in map)
            {
                CheckSymbol(failures, $"{Section}:Alerts:{key}", symbol);
                CheckThreshold(failures, $"{Section}:Alerts:{key}:{symbol}", threshold);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckSymbol(List<string> failures, string key, string symbol)
    {
        if (symbol.Length == 0 || !symbol.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)))
        {
            failures.Add($"{key}: '{symbol}' is not an upper-case exchange symbol (e.g. BTCUSDT)");
        }
    }

    private static void CheckThreshold(List<string> failures, string key, decimal? threshold)
    {
        if (threshold is <= 0m)
        {
            failures.Add($"{key}: {threshold} is not a positive amount");
        }
    }
}
