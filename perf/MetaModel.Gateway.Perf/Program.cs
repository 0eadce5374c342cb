// Gateway overhead measurement, in two halves that perf/gateway-load.sh runs:
//
//   serve URL      starts the gateway on URL (loopback only) in front of two instant fake candidates;
//                  wrk then loads it with the POST body of perf/gateway-post.lua.
//   inproc N       calls the same metamodel in-process N times, one after another, and prints percentiles.
//
// The difference of the two medians is what the gateway adds: HTTP parsing, authentication, JSON in and out.
using System.Diagnostics;
using System.Globalization;
using MetaModel;
using MetaModel.DependencyInjection;
using MetaModel.Gateway;
using MetaModel.Gateway.Perf;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

const string Key = "sk-perf-test-key";
const string Pepper = "perf-pepper-0123456789abcdef";

if (args is ["inproc", string countText])
{
    int count = int.Parse(countText, CultureInfo.InvariantCulture);
    var services = new ServiceCollection();
    AddMetaModel(services);
    using ServiceProvider provider = services.BuildServiceProvider();
    MetaModelChatClient chat = provider.GetRequiredService<MetaModelChatClient>();
    List<ChatMessage> prompt = [new(ChatRole.User, "What is 2 + 2? Answer in one short sentence.")];

    // Warm up the JIT and the policy, then time each call alone.
    for (int i = 0; i < 20_000; i++)
    {
        await chat.GetResponseAsync(prompt, new ChatOptions { ModelId = "metamodel" }.WithTenant("perf"));
    }

    var micros = new double[count];
    for (int i = 0; i < count; i++)
    {
        long start = Stopwatch.GetTimestamp();
        await chat.GetResponseAsync(prompt, new ChatOptions { ModelId = "metamodel" }.WithTenant("perf"));
        micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    Array.Sort(micros);
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"in-process MetaModel, {count} sequential calls: p50 {micros[count / 2]:0.0} us, p90 {micros[count * 9 / 10]:0.0} us, " +
        $"p99 {micros[count * 99 / 100]:0.0} us"));
    return 0;
}

if (args is not ["serve", string url])
{
    Console.Error.WriteLine("usage: serve http://127.0.0.1:PORT | inproc COUNT");
    return 2;
}

if (!new Uri(url).IsLoopback)
{
    Console.Error.WriteLine("The load target must be a loopback address.");
    return 2;
}

WebApplication app = GatewayApplication.Build(["--urls", url], builder =>
{
    builder.Logging.ClearProviders();
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Gateway:ApiKeyPepper"] = Pepper,
        ["Gateway:Tenants:perf:ApiKeyHashes:0"] = ApiKeyHasher.Hash(Pepper, Key),
        ["Gateway:Tenants:perf:Budget:LimitUsd"] = "1000000",
    });
    AddMetaModel(builder.Services);
});
await app.RunAsync();
return 0;

static void AddMetaModel(IServiceCollection services) =>
    services.AddMetaModel("metamodel")
        .AddCandidate("fast", new InstantChatClient(), c =>
        {
            c.InputPricePerMillion = 0.15m;
            c.OutputPricePerMillion = 0.6m;
        })
        .AddCandidate("spare", new InstantChatClient());
