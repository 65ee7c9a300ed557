using Microsoft.Extensions.Options;

namespace Ingest;

/// <summary>Rules DataAnnotations cannot state, each reported under its configuration key.</summary>
internal sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = IngestOptions.SectionName;
        if (!options.Spot.Enabled && !options.Futures.Enabled)
        {
            failures.Add($"{Section}:Spot:Enabled and {Section}:Futures:Enabled are both false: nothing to ingest");
        }

        if (options.PodIndex is { } index && index >= options.PodCount)
        {
            failures.Add($"{Section}:PodIndex: {index} is not below {Section}:PodCount ({options.PodCount})");
        }

        var instance = options.InstanceId ?? System.Net.Dns.GetHostName();
        if (options.PodCount > 1 && options.PodIndex is null && !Sharding.PodAssignment.TryParseOrdinal(instance, out _))
        {
            // Every pod would claim index 0 and all but one share of the symbols would go unread.
            failures.Add($"{Section}:PodIndex is required with {Section}:PodCount {options.PodCount}: the instance id '{instance}' ends in no ordinal (StatefulSet pods are named name-N)");
        }

        if (options.ReconnectMaxDelay < options.ReconnectMinDelay)
        {
            failures.Add($"{Section}:ReconnectMaxDelay: {options.ReconnectMaxDelay} is below {Section}:ReconnectMinDelay ({options.ReconnectMinDelay})");
        }

        foreach (var (key, market) in new[] { ("Spot", options.Spot), ("Futures", options.Futures) })
        {
            if (!market.Enabled)
            {
                continue;
            }

            if (market.WebSocketUrl is { } ws && ws.Scheme is not ("ws" or "wss"))
            {
                failures.Add($"{Section}:{key}:WebSocketUrl: '{ws}' must be ws:// or wss://");
            }

            if (market.RestUrl is { } rest && rest.Scheme is not ("http" or "https"))
            {
                failures.Add($"{Section}:{key}:RestUrl: '{rest}' must be http:// or https://");
            }

            if (!market.AggTrades && !market.Depth && !market.Klines)
            {
                failures.Add($"{Section}:{key}: AggTrades, Depth and Klines are all false");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
