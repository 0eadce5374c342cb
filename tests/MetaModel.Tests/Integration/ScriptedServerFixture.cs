using System.ClientModel;
using System.ClientModel.Primitives;
using MetaModel.ScriptedServer;
using Microsoft.Extensions.AI;
using OpenAI;

namespace MetaModel.Tests.Integration;

/// <summary>One scripted OpenAI-compatible server on 127.0.0.1 for a test class, and official clients pointed at it.</summary>
public sealed class ScriptedServerFixture : IAsyncLifetime
{
    public ScriptedOpenAIServer Server { get; private set; } = null!;

    /// <summary>
    /// An official OpenAI client for <paramref name="model"/>, with its own retries off so the router owns them.
    /// </summary>
    public IChatClient Client(string model) =>
        new OpenAIClient(
                new ApiKeyCredential("test"),
                new OpenAIClientOptions { Endpoint = Server.Endpoint, RetryPolicy = new ClientRetryPolicy(0) })
            .GetChatClient(model)
            .AsIChatClient();

    public async Task InitializeAsync() => Server = await ScriptedOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
