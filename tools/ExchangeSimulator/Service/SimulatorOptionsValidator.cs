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
}
