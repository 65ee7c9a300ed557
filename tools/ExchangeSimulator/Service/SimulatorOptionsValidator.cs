using Microsoft.Extensions.Options;

namespace ExchangeSimulator.Service;

/// <summary>Rules DataAnnotations cannot state: scheduled faults name an enabled market and region and a known kind.</summary>
internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!options.Spot.Enabled && !options.Futures.Enabled)
        {
            failures.Add($"{SimulatorOptions.SectionName}:Spot:Enabled and {SimulatorOptions.SectionName}:Futures:Enabled are both false: nothing to serve");
        }

        foreach (var (marketKey, market) in new[] { ("Spot", options.Spot), ("Futures", options.Futures) })
        {
            foreach (var (region, port) in market.Regions)
            {
                if (port is < 0 or > 65535)
                {
                    failures.Add($"{SimulatorOptions.SectionName}:{marketKey}:Regions:{region}: port {port} is outside 0-65535");
                }
            }

            // A replay's symbols are known once its files are read (SimulatorService checks them then).
            if (market.Enabled && market.Replay.Count == 0 && market.Unlisted.Count > 0 && market.Symbols is >= 1 and <= 5000)
            {
                var flavor = marketKey == "Spot" ? Market.MarketFlavor.Spot : Market.MarketFlavor.UsdmFutures;
                var names = Market.SymbolUniverse.Create(market.Symbols, flavor, market.Seed).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
                if (UnknownSymbols(market.Unlisted, names) is { } unknown)
                {
                    failures.Add($"{SimulatorOptions.SectionName}:{marketKey}:Unlisted: {unknown}");
                }
            }
        }

        if (!System.Net.IPAddress.TryParse(options.ListenAddress, out _))
        {
            failures.Add($"{SimulatorOptions.SectionName}:ListenAddress: '{options.ListenAddress}' is not an IP address");
        }

        for (var i = 0; i < options.Faults.Count; i++)
        {
            var fault = options.Faults[i];
            var key = $"{SimulatorOptions.SectionName}:Faults:{i}";
            var market = fault.Market switch
            {
                "spot" => options.Spot,
                "futures" => options.Futures,
                _ => null,
            };
            if (market is not { Enabled: true })
            {
                failures.Add($"{key}:Market: '{fault.Market}' is not an enabled market (spot, futures)");
            }
            else if (!market.EffectiveRegions.ContainsKey(fault.Region))
            {
                failures.Add($"{key}:Region: '{fault.Region}' is not a region of {fault.Market} ({string.Join(", ", market.EffectiveRegions.Keys)})");
            }

            if (fault.Problem() is { } problem)
            {
                failures.Add($"{key}:Kind: {problem}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Why <paramref name="unlisted"/> does not fit a market of <paramref name="symbols"/>, or null when it does.</summary>
    internal static string? UnknownSymbols(IEnumerable<string> unlisted, IReadOnlySet<string> symbols)
    {
        var unknown = unlisted.Where(n => !symbols.Contains(n)).ToList();
        return unknown.Count == 0
            ? null
            : $"{string.Join(", ", unknown.Select(n => $"'{n}'"))} not among the market's symbols (e.g. {string.Join(", ", symbols.Take(3))}; names are upper case)";
    }
}
