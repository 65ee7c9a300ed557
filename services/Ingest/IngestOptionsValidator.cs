using Ingest.GapBackfill;
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

        ValidateGapBackfill(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateGapBackfill(IngestOptions options, List<string> failures)
    {
        const string Key = IngestOptions.SectionName + ":GapBackfill";
        var gaps = options.GapBackfill;
        if (!gaps.Enabled)
        {
            return;
        }

        // One group for both markets would let each market's listener commit the other's gaps unserved.
        if (options.Spot.Enabled && options.Futures.Enabled && gaps.GroupId?.Contains(GapBackfillOptions.MarketPlaceholder, StringComparison.Ordinal) == false)
        {
            failures.Add($"{Key}:GroupId: '{gaps.GroupId}' must contain {GapBackfillOptions.MarketPlaceholder} when Spot and Futures are both enabled (one group per market)");
        }

        for (var i = 0; i < gaps.AcceptedDetectors.Count; i++)
        {
            var detector = gaps.AcceptedDetectors[i];
            if (string.IsNullOrWhiteSpace(detector))
            {
                failures.Add($"{Key}:AcceptedDetectors:{i}: empty; list detector prefixes such as taker-volume-");
            }
            else if (detector.StartsWith(GapBackfillOptions.IngestDetectorPrefix, StringComparison.Ordinal)
                || GapBackfillOptions.IngestDetectorPrefix.StartsWith(detector, StringComparison.Ordinal))
            {
                failures.Add($"{Key}:AcceptedDetectors:{i}: '{detector}' would accept the ingest pods' own gaps ({GapBackfillOptions.IngestDetectorPrefix}...), which are never backfilled again (that would loop)");
            }
        }
    }
}
