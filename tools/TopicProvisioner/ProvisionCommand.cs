using System.Globalization;
using Streaming.Topics;
using Streaming.Topics.Provisioning;
using TopicProvisioner.Admin;

namespace TopicProvisioner;

/// <summary>
/// Plan, apply, verify: describes the catalog's topics on the cluster, prints the diff, applies
/// what can be applied, describes again until the cluster shows it, and turns the outcome into an
/// exit code. Idempotent: a second run finds nothing to do.
/// </summary>
internal sealed class ProvisionCommand(IClusterAdmin admin, TextWriter output, TextWriter error, VerifyPolicy verify)
{
    public async Task<int> RunAsync(
        TopicCatalog catalog,
        ProvisionMode mode,
        UnmanagedConfigPolicy unmanagedConfigs,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        try
        {
            var plan = await PlanAsync(catalog, unmanagedConfigs, cancellationToken);
            await output.WriteAsync(PlanFormatter.Format(plan));
            if (mode == ProvisionMode.DryRun)
            {
                return plan.HasDisagreements ? ExitCodes.Disagreement : plan.HasChanges ? ExitCodes.Drift : ExitCodes.InSync;
            }

            if (plan.HasChanges)
            {
                await ApplyAsync(plan, cancellationToken);
                if (await VerifyAsync(catalog, unmanagedConfigs, cancellationToken) is not { } verified)
                {
                    return ExitCodes.Error;
                }

                plan = verified;
            }

            if (plan.HasDisagreements)
            {
                await error.WriteLineAsync(
                    "Not in sync: the topics marked '!' differ from the catalog in ways the provisioner never changes. " +
                    "Fix the catalog, or migrate those topics by hand.");
                return ExitCodes.Disagreement;
            }

            return ExitCodes.InSync;
        }
        catch (ClusterAdminException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.Error;
        }
    }

    private async Task<ProvisioningPlan> PlanAsync(TopicCatalog catalog, UnmanagedConfigPolicy unmanagedConfigs, CancellationToken cancellationToken)
    {
        var names = catalog.Topics.Select(topic => topic.Name).ToList();
        var cluster = await admin.DescribeAsync(names, cancellationToken);
        return ProvisioningPlanner.Plan(catalog, cluster, unmanagedConfigs);
    }

    private async Task ApplyAsync(ProvisioningPlan plan, CancellationToken cancellationToken)
    {
        if (plan.TopicsToCreate.Count > 0)
        {
            await admin.CreateTopicsAsync(plan.TopicsToCreate, cancellationToken);
            await output.WriteLineAsync(Invariant($"Created {plan.TopicsToCreate.Count} topic(s)."));
        }

        if (plan.ConfigChanges.Count > 0)
        {
            await admin.ApplyConfigChangesAsync(plan.ConfigChanges, cancellationToken);
            var topics = plan.ConfigChanges.Select(change => change.Topic).Distinct(StringComparer.Ordinal).Count();
            await output.WriteLineAsync(Invariant($"Applied {plan.ConfigChanges.Count} config change(s) to {topics} topic(s)."));
        }
    }

    /// <summary>The plan once the cluster shows the applied changes; null (reported) when it never does.</summary>
    private async Task<ProvisioningPlan?> VerifyAsync(TopicCatalog catalog, UnmanagedConfigPolicy unmanagedConfigs, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(catalog, unmanagedConfigs, cancellationToken);
        for (var attempt = 1; plan.HasChanges && attempt < verify.Attempts; attempt++)
        {
            await Task.Delay(verify.Interval, cancellationToken);
            plan = await PlanAsync(catalog, unmanagedConfigs, cancellationToken);
        }

        if (plan.HasChanges)
        {
            await error.WriteLineAsync(Invariant(
                $"The cluster still differs from the catalog after applying the plan ({verify.Attempts} checks, {verify.Interval.TotalSeconds:0.#} s apart):"));
            await error.WriteAsync(PlanFormatter.Format(plan));
            return null;
        }

        await output.WriteLineAsync("After applying: " + PlanFormatter.FormatSummary(plan));
        return plan;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
