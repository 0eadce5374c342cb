// Quick start: a metamodel over OpenAI-compatible endpoints, configured in appsettings.json.
//
//   dotnet run --project samples/MetaModel.QuickStart -- "Why is the sky blue?"
//
// Each entry of "Endpoints" becomes a keyed IChatClient (the official OpenAI client through
// Microsoft.Extensions.AI.OpenAI); "MetaModel" lists the candidates that use them, their prices and tags,
// and the routing policy. API keys are read from the environment variables the endpoints name.
using System.ClientModel;
using System.ClientModel.Primitives;
using MetaModel;
using MetaModel.DependencyInjection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenAI;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});

foreach (IConfigurationSection endpoint in builder.Configuration.GetSection("Endpoints").GetChildren())
{
    string url = endpoint["Endpoint"] ?? throw new InvalidOperationException($"Endpoints:{endpoint.Key} has no Endpoint.");
    string model = endpoint["Model"] ?? throw new InvalidOperationException($"Endpoints:{endpoint.Key} has no Model.");
    string? keyVariable = endpoint["ApiKeyVariable"];
    string apiKey = (keyVariable is null ? null : Environment.GetEnvironmentVariable(keyVariable)) ?? "unused";

    builder.Services.AddKeyedChatClient(endpoint.Key, _ =>
        // The metamodel fails over between candidates itself, so the client's own retries are turned off.
        new OpenAIClient(
                new ApiKeyCredential(apiKey),
                new OpenAIClientOptions { Endpoint = new Uri(url), RetryPolicy = new ClientRetryPolicy(maxRetries: 0) })
            .GetChatClient(model)
            .AsIChatClient());
}

builder.Services.AddMetaModel(builder.Configuration.GetSection("MetaModel"));

using IHost host = builder.Build();
await host.StartAsync();

IChatClient chat = host.Services.GetRequiredService<IChatClient>();
string prompt = args.Length > 0 ? string.Join(' ', args) : "In one sentence: what does a model router do?";
try
{
    await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync(prompt))
    {
        Console.Write(update.Text);
    }

    Console.WriteLine();
}
catch (Exception ex) when (ex is MetaModel.Routing.RoutingFailedException or MetaModel.Routing.NoEligibleCandidateException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine("Edit samples/MetaModel.QuickStart/appsettings.json to point at endpoints you can reach.");
    return 1;
}

await host.StopAsync();
return 0;
