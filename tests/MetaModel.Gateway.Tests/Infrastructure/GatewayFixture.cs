namespace MetaModel.Gateway.Tests.Infrastructure;

/// <summary>One gateway shared by the tests of a class.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public GatewayHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await GatewayHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
