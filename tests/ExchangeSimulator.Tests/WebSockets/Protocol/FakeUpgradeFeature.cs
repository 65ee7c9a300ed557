using Microsoft.AspNetCore.Http.Features;

namespace ExchangeSimulator.Tests.WebSockets.Protocol;

/// <summary>What Kestrel reports for an HTTP/1.1 request, without a server.</summary>
internal sealed class FakeUpgradeFeature(bool upgradable) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => upgradable;

    public Task<Stream> UpgradeAsync() => Task.FromResult<Stream>(new MemoryStream());
}
