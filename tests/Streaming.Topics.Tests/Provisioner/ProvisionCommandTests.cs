using Streaming.Topics.Provisioning;
using Streaming.Topics.Tests.Support;
using TopicProvisioner;
using TopicProvisioner.Admin;
using static Streaming.Topics.Tests.Support.CatalogYaml;

namespace Streaming.Topics.Tests.Provisioner;

public sealed class ProvisionCommandTests : IDisposable
{
    private static readonly TopicCatalog _catalog = CatalogOf(
    [
        Spec("t.one", 12, 3, ("cleanup.policy", "delete"), ("retention.ms", "604800000")),
        Spec("t.two", 3, 3, ("cleanup.policy", "compact")),
    ]);

    private readonly ScriptedClusterAdmin _cluster = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose()
    {
        _output.Dispose();
        _error.Dispose();
    }

    [Fact]
    public async Task RunAsync_DryRunOnEmptyCluster_PrintsCreatesChangesNothingExits2()
    {
        var exitCode = await RunAsync(ProvisionMode.DryRun);

        Assert.Equal(ExitCodes.Drift, exitCode);
        Assert.Contains("+ topic t.one (12 partitions, rf 3)", _output.ToString(), StringComparison.Ordinal);
        Assert.Equal(["describe"], _cluster.Calls);
    }

    [Fact]
    public async Task RunAsync_DryRunInSync_Exits0()
    {
        AddMatchingTopics();

        var exitCode = await RunAsync(ProvisionMode.DryRun);

        Assert.Equal(ExitCodes.InSync, exitCode);
        Assert.Equal("In sync: 2 topics match the catalog.\n", _output.ToString());
    }

    [Fact]
    public async Task RunAsync_DryRunWithUnfixableDrift_Exits3()
    {
        AddMatchingTopics();
        _cluster.Topics["t.two"] = _cluster.Topics["t.two"] with { Partitions = 6 };

        var exitCode = await RunAsync(ProvisionMode.DryRun);

        Assert.Equal(ExitCodes.Disagreement, exitCode);
        Assert.Contains("! topic t.two: partitions 6 (cluster) != 3 (catalog)", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ApplyOnEmptyCluster_CreatesVerifiesAndSecondRunIsInSync()
    {
        var first = await RunAsync(ProvisionMode.Apply);
        var callsAfterFirst = _cluster.Calls.Count;
        _output.GetStringBuilder().Clear();
        var second = await RunAsync(ProvisionMode.Apply);

        Assert.Equal((ExitCodes.InSync, ExitCodes.InSync), (first, second));
        Assert.Equal(["describe", "create t.one,t.two", "describe", "describe"], _cluster.Calls);
        Assert.Equal(3, callsAfterFirst);
        Assert.Equal("In sync: 2 topics match the catalog.\n", _output.ToString());
        Assert.Equal("", _error.ToString());
    }

    [Fact]
    public async Task RunAsync_ApplyWithConfigDrift_ChangesConfigsAndReportsThem()
    {
        AddMatchingTopics();
        _cluster.Topics["t.one"].ConfigsSetOnTopic["retention.ms"] = "86400000";

        var exitCode = await RunAsync(ProvisionMode.Apply);

        Assert.Equal(ExitCodes.InSync, exitCode);
        Assert.Contains("alter t.one:retention.ms=604800000", _cluster.Calls);
        Assert.Equal(
            """
            ~ topic t.one: retention.ms 86400000 -> 604800000
            Plan: 1 config change.
            Applied 1 config change(s) to 1 topic(s).
            After applying: In sync: 2 topics match the catalog.

            """,
            _output.ToString());
    }

    [Fact]
    public async Task RunAsync_ApplyWithUnfixableDrift_AppliesTheRestAndExits3WithDiff()
    {
        _cluster.Add("t.one", 6, 1);

        var exitCode = await RunAsync(ProvisionMode.Apply);

        Assert.Equal(ExitCodes.Disagreement, exitCode);
        Assert.Contains("create t.two", _cluster.Calls);
        Assert.Contains("alter t.one:cleanup.policy=delete,t.one:retention.ms=604800000", _cluster.Calls);
        Assert.Contains("! topic t.one: partitions 6 (cluster) != 12 (catalog)", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("! topic t.one: replication factor 1 (cluster) != 3 (catalog)", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("ways the provisioner never changes", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Disagreement, await RunAsync(ProvisionMode.Apply));
    }

    [Fact]
    public async Task RunAsync_UnmanagedConfig_IsKeptUnlessRemovalAsked()
    {
        AddMatchingTopics();
        _cluster.Topics["t.two"].ConfigsSetOnTopic["segment.bytes"] = "1024";

        var kept = await RunAsync(ProvisionMode.Apply);
        var removed = await RunAsync(ProvisionMode.Apply, UnmanagedConfigPolicy.Remove);

        Assert.Equal((ExitCodes.InSync, ExitCodes.InSync), (kept, removed));
        Assert.Contains("? topic t.two: segment.bytes=1024 is set on the cluster", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("alter t.two:segment.bytes=(delete)", _cluster.Calls);
        Assert.DoesNotContain("segment.bytes", _cluster.Topics["t.two"].ConfigsSetOnTopic.Keys);
    }

    [Fact]
    public async Task RunAsync_NewTopicsShowLate_VerifiesUntilTheyDo()
    {
        _cluster.DescribesBeforeNewTopicsShow = 2;

        var exitCode = await RunAsync(ProvisionMode.Apply);

        Assert.Equal(ExitCodes.InSync, exitCode);
        Assert.Equal(["describe", "create t.one,t.two", "describe", "describe", "describe"], _cluster.Calls);
    }

    [Fact]
    public async Task RunAsync_ChangesNeverShow_Exits1WithRemainingDiff()
    {
        AddMatchingTopics();
        _cluster.Topics["t.one"].ConfigsSetOnTopic["retention.ms"] = "1";
        _cluster.IgnoreConfigChanges = true;

        var exitCode = await RunAsync(ProvisionMode.Apply);

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Contains("still differs from the catalog after applying the plan (3 checks", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("~ topic t.one: retention.ms 1 -> 604800000", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AdminApiUnsupported_Exits1WithTheMessage()
    {
        _cluster.DescribeFailure = new ClusterAdminException("no Admin API here", ClusterAdminFailure.AdminApiUnsupported);

        var exitCode = await RunAsync(ProvisionMode.DryRun);

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Equal("no Admin API here\n", _error.ToString());
        Assert.Equal("", _output.ToString());
    }

    [Fact]
    public async Task RunAsync_CreateRejected_Exits1WithTheMessage()
    {
        _cluster.CreateFailure = new ClusterAdminException("not authorized", ClusterAdminFailure.Rejected);

        var exitCode = await RunAsync(ProvisionMode.Apply);

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Contains("not authorized", _error.ToString(), StringComparison.Ordinal);
    }

    private Task<int> RunAsync(ProvisionMode mode, UnmanagedConfigPolicy policy = UnmanagedConfigPolicy.Keep)
    {
        _output.NewLine = "\n";
        _error.NewLine = "\n";
        var command = new ProvisionCommand(_cluster, _output, _error, new VerifyPolicy(Attempts: 3, Interval: TimeSpan.Zero));
        return command.RunAsync(_catalog, mode, policy, TestContext.Current.CancellationToken);
    }

    private void AddMatchingTopics()
    {
        _cluster.Add("t.one", 12, 3, ("cleanup.policy", "delete"), ("retention.ms", "604800000"));
        _cluster.Add("t.two", 3, 3, ("cleanup.policy", "compact"));
    }
}
